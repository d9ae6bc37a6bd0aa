"""Adapting a protocol, the reasons sections differ, the newer-source notice, the PDF."""

from datetime import date

import pytest
from flask_babel import force_locale

from app.auth.models import Role
from app.exceptions import ValidationFailed
from app.protocols import adaptation, publishing, queries, review, services
from app.protocols.pdf import blocks_of, version_pdf, version_words
from tests.factories import make_institution, make_programme, make_user
from tests.protocols.conftest import details


def _v1(pw):
    review.add_reviewer(pw.author, pw.draft, pw.cn_reviewer)
    review.approve(pw.cn_reviewer, pw.draft)
    return publishing.publish(pw.author, pw.draft, date(2027, 1, 1))


@pytest.fixture
def adapter(pw):
    """A trainer at another institution, in another programme."""
    elsewhere = make_institution(name="Peking Clinic", country="CN", default_locale="zh_Hans")
    programme = make_programme([elsewhere])
    return make_user(roles=[Role.TRAINER], institution=elsewhere), programme


def test_an_adaptation_copies_the_sources_sections_and_records_why_they_differ(pw, adapter):
    person, programme = adapter
    v1 = _v1(pw)
    adapted = adaptation.adapt(person, v1, details(programme, title="Breakthrough pain (Beijing)"))
    draft = queries.draft_of(adapted)
    assert adapted.adapted_from_version_id == v1.id and adapted.authors == [person]
    assert [s.key for s in draft.sections] == [s.key for s in v1.sections]
    services.edit_section(person, draft, "breakthrough-doses", "Breakthrough doses",
                          "::: dose\nMorphine tablets 5 mg by mouth.\n:::")  # fmt: skip
    adaptation.record_difference(person, draft, "breakthrough-doses", "Solution not stocked.")
    assert [(d.key, d.reason) for d in adaptation.differing_sections(draft)] == [
        ("breakthrough-doses", "Solution not stocked.")
    ]
    adaptation.record_difference(person, draft, "breakthrough-doses", "Tablets only.")
    assert adaptation.differing_sections(draft)[0].reason == "Tablets only."
    with pytest.raises(ValidationFailed, match="not an adaptation"):
        next_draft = publishing.start_next_draft(pw.author, pw.protocol)
        adaptation.record_difference(pw.author, next_draft, "assessment", "x")


def test_reasons_are_copied_into_the_next_draft(pw, adapter):
    person, programme = adapter
    adapted = adaptation.adapt(person, _v1(pw), details(programme, title="Adapted"))
    draft = queries.draft_of(adapted)
    adaptation.record_difference(person, draft, "assessment", "Different scale.")
    publishing.publish(person, draft)
    next_draft = publishing.start_next_draft(person, adapted)
    assert [d.reason for d in adaptation.differing_sections(next_draft)] == ["Different scale."]


def test_the_adaptation_shows_when_its_source_publishes_a_newer_version(pw, adapter):
    person, programme = adapter
    v1 = _v1(pw)
    adapted = adaptation.adapt(person, v1, details(programme, title="Adapted"))
    assert adaptation.newer_source(adapted) is None
    draft = publishing.start_next_draft(pw.author, pw.protocol)
    services.edit_section(pw.author, draft, "assessment", "Assessment", "Ask.")
    v2 = publishing.publish(pw.author, draft, change_log="Shorter.")
    newer = adaptation.newer_source(adapted)
    assert (newer.adapted, newer.latest, newer.source) == (v1, v2, pw.protocol)


def test_only_a_published_version_is_adapted(pw, adapter):
    person, programme = adapter
    with pytest.raises(Exception):  # noqa: B017 - the draft is hidden from them (404)
        adaptation.adapt(person, pw.draft, details(programme))
    with pytest.raises(ValidationFailed, match="Only a published"):
        adaptation.adapt(pw.author, pw.draft, details(pw.programme))


def test_the_pdf_carries_the_version_date_approvers_and_boxed_doses(app, pw):
    v1 = _v1(pw)
    with app.test_request_context(), force_locale("en"):
        words = version_words(v1, "en")
        data = version_pdf(v1, "en")
    assert words.title == "Subcutaneous opioids for breakthrough pain"
    assert words.facts[:2] == ["Version 1", "Effective from 1 January 2027"]
    assert words.approvers == ["Dr Wang — Beijing Hospital"]
    doses = dict(words.sections)["Breakthrough doses"]
    assert [(b.text, b.dose) for b in doses] == [
        ("For breakthrough pain:", False),
        ("Morphine 2.5–5 mg SC as needed, up to hourly.", True),
    ]
    assert data.startswith(b"%PDF")


def test_blocks_keep_list_items_and_tables_apart():
    blocks = blocks_of(
        "<ul><li>One</li><li>Two</li></ul><table><tr><td>a</td><td>b</td></tr></table>"
    )
    assert [b.text for b in blocks] == ["One", "Two", "a | b"]
