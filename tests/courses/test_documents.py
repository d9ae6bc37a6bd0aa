"""Catalogs of documents written in the app: segments, staleness of one changed segment,
held-back safety-critical text, translations typed on a page and checked."""

import pytest

from app.courses import documents
from app.courses.documents import DocumentSource, TranslationProblems
from tests.factories import make_user

BODY = """Assess pain at every visit.

::: dose
Morphine 2.5 mg SC every 4 hours as needed.
:::
"""


def _source(body: str = BODY, title: str = "Pain at home") -> DocumentSource:
    segments = documents.plain_segment("title", title, "title") + documents.markdown_segments(
        "section-dosing", body
    )
    return DocumentSource(id="protocol:1", title=title, segments=tuple(segments))


def test_segments_mark_dose_blocks_critical():
    source = _source()
    assert [segment.text for _where, segment in source.segments] == [
        "Pain at home",
        "Assess pain at every visit.",
        "Morphine 2.5 mg SC every 4 hours as needed.",
    ]
    assert source.critical() == {"Morphine 2.5 mg SC every 4 hours as needed."}


def test_a_document_with_no_catalog_is_held_back_and_falls_back(db):
    source = _source()
    catalog = documents.catalog_of(source, "ru")
    assert documents.held_back(source, catalog)
    translate = documents.translator(source, catalog)
    assert translate("Pain at home") == ("Pain at home", "en")
    assert documents.coverage(source, catalog).translated == 0


def test_translations_typed_on_a_page_are_stored_and_used(db):
    user = make_user()
    source = _source()
    documents.save_translations(
        user,
        source,
        "ru",
        {
            "Pain at home": "Боль дома",
            "Morphine 2.5 mg SC every 4 hours as needed.": (
                "Морфин 2,5 мг п/к каждые 4 часа при необходимости."
            ),
        },
    )
    catalog = documents.catalog_of(source, "ru")
    assert not documents.held_back(source, catalog)
    assert documents.translator(source, catalog)("Pain at home") == ("Боль дома", None)
    coverage = documents.coverage(source, catalog)
    assert (coverage.total, coverage.translated, coverage.critical_missing) == (3, 2, 0)


def test_a_critical_translation_with_another_dose_is_refused_and_nothing_stored(db):
    user = make_user()
    source = _source()
    with pytest.raises(TranslationProblems) as refused:
        documents.save_translations(
            user,
            source,
            "ru",
            {"Morphine 2.5 mg SC every 4 hours as needed.": "Морфин 25 мг п/к каждые 4 часа."},
        )
    assert "safety-critical" in str(refused.value)
    assert documents.queries.latest_document_catalog(source.id, "ru") is None


def test_a_changed_source_segment_turns_only_itself_stale(db):
    user = make_user()
    source = _source()
    documents.save_translations(
        user,
        source,
        "ru",
        {
            "Pain at home": "Боль дома",
            "Assess pain at every visit.": "Оценивайте боль при каждом визите.",
            "Morphine 2.5 mg SC every 4 hours as needed.": (
                "Морфин 2,5 мг п/к каждые 4 часа при необходимости."
            ),
        },
    )
    changed = _source(BODY.replace("every 4 hours", "every 2 to 4 hours"))
    catalog = documents.catalog_of(changed, "ru")
    coverage = documents.coverage(changed, catalog)
    assert (coverage.translated, coverage.stale, coverage.critical_missing) == (2, 1, 1)
    assert documents.held_back(changed, catalog)
    assert "#| msgid" in documents.catalog_text(changed, "ru")


def test_a_new_version_inherits_the_previous_catalog_with_only_changed_segments_stale(db):
    user = make_user()
    first = _source()
    documents.save_translations(user, first, "ru", {"Pain at home": "Боль дома"})
    changed = _source(title="Pain at home and in hospital")
    second = DocumentSource(
        id="protocol:2", title=changed.title, segments=changed.segments, inherits=first.id
    )
    catalog = documents.catalog_of(second, "ru")
    assert catalog.fuzzy == {"Pain at home and in hospital"}
    assert documents.catalog_of(first, "ru").translations == {"Pain at home": "Боль дома"}
