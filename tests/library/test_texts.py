"""A video as a document of the catalogs: its segments, a changed English cue turning
only itself stale, the translated texts and the caption tracks offered."""

import pytest

from app.courses import documents
from app.library import captions, texts
from app.library.captions import Cue, parse_vtt
from app.locales import language_name
from tests.factories import make_user
from tests.library.caption_fixtures import CUES, ZH, make_video

CHANGED = "It helps at every stage of an illness, alongside treatment."


@pytest.fixture
def page(app):
    with app.test_request_context():
        yield


def _translate_all(video, locale="zh_Hans", translations=ZH):
    documents.save_translations(make_user(), texts.source_of(video), locale, translations)


def _change_second_cue(video):
    cues = list(CUES)
    cues[1] = Cue(cues[1].start_ms, cues[1].end_ms, CHANGED)
    captions.set_cues(video, cues)


def test_the_segments_are_title_summary_transcript_and_each_cue(db):
    video = make_video()
    source = texts.source_of(video)
    assert source.id == f"video:{video.id}"
    assert [(where, segment.kind) for where, segment in source.segments] == [
        ("title", "title"),
        ("summary", "paragraph"),
        ("transcript", "paragraph"),
        ("transcript", "paragraph"),
        ("cue-1", "caption"),
        ("cue-2", "caption"),
        ("cue-3", "caption"),
    ]
    assert documents.load_source(source.id) == source
    assert documents.load_source("video:999999") is None


def test_a_cue_that_states_a_dose_is_critical(db):
    video = make_video(cues=[Cue(0, 1000, "Morphine 2.5 mg by mouth."), Cue(1000, 2000, "Rest.")])
    assert texts.source_of(video).critical() == {"Morphine 2.5 mg by mouth."}
    with pytest.raises(documents.TranslationProblems):
        _translate_all(video, "ru", {"Morphine 2.5 mg by mouth.": "Морфин 25 мг внутрь."})


def test_a_changed_english_cue_turns_only_that_cue_stale(db):
    video = make_video()
    _translate_all(video)
    _change_second_cue(video)
    source = texts.source_of(video)
    catalog = documents.catalog_of(source, "zh_Hans")
    assert catalog.fuzzy == {CHANGED}
    coverage = documents.coverage(source, catalog)
    assert (coverage.total, coverage.translated, coverage.stale) == (7, len(ZH) - 1, 1)


def test_a_complete_track_is_offered_first_in_the_visitors_language(db, page):
    video = make_video()
    _translate_all(video)
    offered = texts.tracks(video, "zh_Hans")
    assert [(t.locale, t.partial, t.default) for t in offered] == [
        ("zh_Hans", False, True),
        ("en", False, False),
    ]
    assert offered[0].label == language_name("zh_Hans") == "中文 (简体)"
    assert offered[0].url == f"/library/{video.slug}/captions/zh_Hans.vtt"
    assert offered[0].srclang == "zh-Hans"
    assert [t.locale for t in texts.tracks(video, "ru")] == ["en", "zh_Hans"]  # English default
    assert texts.tracks(video, "ru")[0].default


def test_a_stale_cue_makes_the_track_partial_and_falls_back_to_english(db, page):
    video = make_video()
    _translate_all(video)
    _change_second_cue(video)
    track = texts.tracks(video, "zh_Hans")[0]
    assert track.partial and track.label.startswith("中文 (简体)") and track.label != "中文 (简体)"
    cues = parse_vtt(texts.track_vtt(video, "zh_Hans").encode())
    assert [cue.text for cue in cues] == [ZH[CUES[0].text], CHANGED, ZH[CUES[2].text]]
    assert "<lang en>" + CHANGED + "</lang>" in texts.track_vtt(video, "zh_Hans")
    assert [(cue.start_ms, cue.end_ms) for cue in cues] == [(c.start_ms, c.end_ms) for c in CUES]


def test_a_language_with_no_cue_translated_is_not_offered(db, page):
    video = make_video()
    _translate_all(video, "ru", {"What palliative care is": "Что такое паллиативная помощь"})
    assert [t.locale for t in texts.tracks(video, "ru")] == ["en"]
    assert texts.track_vtt(video, "ru") is None
    assert texts.track_vtt(video, "xx") is None


def test_a_video_without_cues_has_no_tracks(db, page):
    assert texts.tracks(make_video(cues=[]), "en") == []


def test_texts_are_translated_segment_by_segment_with_english_marked(db):
    video = make_video()
    russian = {
        "What palliative care is": "Что такое паллиативная помощь",
        "Palliative care is care.": "Паллиативная помощь — это забота.",
    }
    _translate_all(video, "ru", russian)
    shown = texts.video_texts(video, "ru")
    assert shown.title == "Что такое паллиативная помощь" and shown.title_lang is None
    assert "<p>Паллиативная помощь — это забота.</p>" in shown.transcript_html
    assert '<p lang="en">It helps the family.</p>' in shown.transcript_html
    assert '<p lang="en">A short film for families.</p>' in shown.summary_html
    assert shown.locale == "en"  # most of it (2 of 4 segments) is still English


def test_texts_without_a_catalog_are_english(db):
    shown = texts.video_texts(make_video(), "zh_Hans")
    assert (shown.title, shown.locale, shown.title_lang) == ("What palliative care is", "en", None)
    assert "lang=" not in shown.transcript_html


def test_an_untranslated_dose_in_the_transcript_holds_back_the_texts(db):
    video = make_video(transcript="Pain is treated.\n\n::: dose\nMorphine 2.5 mg by mouth.\n:::\n")
    _translate_all(video, "ru", {"What palliative care is": "Что такое паллиативная помощь"})
    shown = texts.video_texts(video, "ru")
    assert shown.title == "What palliative care is" and shown.locale == "en"
