"""Protocol versions translated segment by segment: their segments, a new version that
inherits the previous one's catalog, the rendering held back whole in English until its
doses are translated, and the languages panel."""

from app.auth.models import Role
from app.courses import documents
from app.protocols import panels, translation
from app.protocols.rendering import render_version
from tests.factories import make_user
from tests.protocols.factories_translation import DOSING, SECTIONS, make_protocol, make_version

DOSE = "Morphine 2.5 mg SC every 4 hours as needed."
DOSE_ZH = "吗啡 2.5 mg 皮下注射，每 4 小时一次，按需。"
ALL_ZH = {
    "Breakthrough pain at home": "居家爆发痛",
    "Adults at home in their last days.": "生命最后几天在家的成人。",
    "Assessment": "评估",
    "Assess pain at every visit.": "每次访视都要评估疼痛。",
    "Dosing": "剂量",
    "Give the dose below when pain breaks through.": "爆发痛时给予以下剂量。",
    DOSE: DOSE_ZH,
}


def test_a_version_is_a_document_with_located_segments_and_critical_doses(db):
    version = make_version(make_protocol())
    source = translation.source_of(version)
    assert source.id == f"protocol:{version.id}"
    located = [(where, segment.text) for where, segment in source.segments]
    assert located[0] == ("title", "Breakthrough pain at home")
    assert ("section-dosing", DOSE) in located
    assert source.critical() == {DOSE}
    assert source.inherits is None


def test_only_published_versions_are_offered_to_translators(db):
    protocol = make_protocol()
    published = make_version(protocol)
    draft = make_version(protocol, number=None)
    assert documents.load_source(f"protocol:{published.id}") is not None
    assert documents.load_source(f"protocol:{draft.id}") is None
    assert documents.load_source("protocol:nonsense") is None
    ids = {source.id for source in documents.KINDS["protocol"].list_sources()}
    assert f"protocol:{published.id}" in ids and f"protocol:{draft.id}" not in ids


def test_a_version_untranslated_in_a_language_is_shown_whole_in_english(db):
    version = make_version(make_protocol())
    shown = render_version(version, "zh_Hans")
    assert shown.held_back and shown.locale == "en"
    assert shown.critical_missing == 1
    assert shown.title == "Breakthrough pain at home"
    assert render_version(version, "en").held_back is False


def test_a_translated_version_is_shown_in_that_language_with_english_fallbacks(db):
    version = make_version(make_protocol())
    source = translation.source_of(version)
    documents.save_translations(make_user(), source, "zh_Hans", {DOSE: DOSE_ZH, "Dosing": "剂量"})
    shown = render_version(version, "zh_Hans")
    assert not shown.held_back and shown.locale == "zh_Hans"
    dosing = shown.sections[1]
    assert dosing.heading == "剂量" and dosing.heading_lang is None
    assert DOSE_ZH in dosing.html
    assert 'lang="en"' in dosing.html  # the untranslated paragraph falls back, marked
    assert shown.title_lang == "en"


def test_a_new_version_turns_only_its_changed_segment_stale(db):
    protocol = make_protocol()
    first = make_version(protocol)
    documents.save_translations(make_user(), translation.source_of(first), "zh_Hans", ALL_ZH)
    assert not render_version(first, "zh_Hans").held_back
    changed = (SECTIONS[0], ("dosing", "Dosing", DOSING.replace("every 4 hours", "every 2 hours")))
    second = make_version(protocol, number=2, sections=changed)
    source = translation.source_of(second)
    assert source.inherits == f"protocol:{first.id}"
    catalog = documents.catalog_of(source, "zh_Hans")
    coverage = documents.coverage(source, catalog)
    assert (coverage.total, coverage.translated, coverage.stale) == (7, 6, 1)
    shown = render_version(second, "zh_Hans")
    assert shown.held_back  # the changed dose line is stale: the whole version in English
    assert render_version(first, "zh_Hans").title == "居家爆发痛"  # the old one unchanged


def test_the_languages_panel_says_available_or_held_back_and_who_may_translate(app, db):
    version = make_version(make_protocol())
    documents.save_translations(make_user(), translation.source_of(version), "zh_Hans", ALL_ZH)
    translator = make_user(roles=[(Role.TRANSLATOR, "ru")])
    with app.test_request_context():
        found = dict(panels.version_panels(version, translator))
    rows = {row["locale"]: row for row in found["protocols/_translations_panel.html"]["languages"]}
    assert rows["zh_Hans"]["held_back"] is False and rows["zh_Hans"]["percent"] == 100
    assert rows["ru"]["held_back"] is True and rows["ru"]["coverage"].critical_missing == 1
    assert rows["ru"]["translates"] and not rows["zh_Hans"]["translates"]


def test_a_draft_has_no_languages_panel(app, db):
    draft = make_version(make_protocol(), number=None)
    with app.test_request_context():
        names = [name for name, _context in panels.version_panels(draft, make_user())]
    assert "protocols/_translations_panel.html" not in names
