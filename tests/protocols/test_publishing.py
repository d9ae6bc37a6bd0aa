"""Required approvals, publishing, immutability, the next draft and the diff."""

from datetime import date

import pytest

from app.exceptions import PermissionDenied, ValidationFailed
from app.protocols import diff, publishing, queries, review, services
from app.protocols.models import VersionState


def _reviewed(pw):
    review.add_reviewer(pw.author, pw.draft, pw.sg_reviewer)
    review.add_reviewer(pw.author, pw.draft, pw.cn_reviewer)


def _publish_v1(pw):
    _reviewed(pw)
    review.approve(pw.sg_reviewer, pw.draft)
    return publishing.publish(pw.author, pw.draft, date(2027, 1, 1))


def test_publishing_needs_one_approval_per_required_country(pw):
    _reviewed(pw)
    publishing.add_requirement(pw.author, pw.protocol, country="sg")
    publishing.add_requirement(pw.author, pw.protocol, country="CN")
    review.approve(pw.sg_reviewer, pw.draft)
    with pytest.raises(ValidationFailed, match="1 from country CN: 0 of 1 approvals"):
        publishing.publish(pw.author, pw.draft)
    assert pw.draft.state == VersionState.DRAFT
    review.approve(pw.cn_reviewer, pw.draft)
    assert publishing.missing(pw.draft) == []
    assert publishing.publish(pw.author, pw.draft).number == 1


def test_an_institution_requirement_counts_that_institutions_reviewers(pw):
    _reviewed(pw)
    publishing.add_requirement(pw.author, pw.protocol, institution=pw.beijing, count=2)
    review.approve(pw.cn_reviewer, pw.draft)
    review.approve(pw.sg_reviewer, pw.draft)
    assert publishing.missing(pw.draft) == ["2 from Beijing Hospital: 1 of 2 approvals"]


def test_a_requirement_names_a_country_or_an_institution(pw):
    for kwargs in ({}, {"country": "SG", "institution": pw.beijing}, {"country": "SGP"}):
        with pytest.raises(ValidationFailed):
            publishing.add_requirement(pw.author, pw.protocol, **kwargs)
    with pytest.raises(ValidationFailed, match="from 1 to"):
        publishing.add_requirement(pw.author, pw.protocol, country="SG", count=0)
    with pytest.raises(PermissionDenied):
        publishing.add_requirement(pw.sg_reviewer, pw.protocol, country="SG")


def test_a_published_version_is_numbered_dated_and_immutable(pw):
    version = _publish_v1(pw)
    assert (version.number, version.state, version.effective_on) == (
        1,
        VersionState.PUBLISHED,
        date(2027, 1, 1),
    )
    assert version.published_by_id == pw.author.id and version.published_at is not None
    assert queries.draft_of(pw.protocol) is None
    for act in (
        lambda: services.edit_section(pw.author, version, "assessment", "A", "B"),
        lambda: services.add_section(pw.author, version, "A", "B"),
        lambda: services.remove_section(pw.author, version, "assessment"),
        lambda: review.approve(pw.sg_reviewer, version),
        lambda: publishing.publish(pw.author, version),
    ):
        with pytest.raises((ValidationFailed, PermissionDenied)):
            act()
    assert version.sections[0].body == "Assess pain with the patient."


def test_the_next_draft_copies_the_latest_version_and_needs_a_change_log(pw):
    v1 = _publish_v1(pw)
    draft = publishing.start_next_draft(pw.author, pw.protocol)
    assert draft.number is None and draft.based_on_id == v1.id
    assert [(s.key, s.body) for s in draft.sections] == [(s.key, s.body) for s in v1.sections]
    assert queries.reviewers_of(draft) == []  # reviewers are named per draft
    with pytest.raises(ValidationFailed, match="already has a draft"):
        publishing.start_next_draft(pw.author, pw.protocol)
    services.edit_section(pw.author, draft, "assessment", "Assessment", "Ask about pain.")
    with pytest.raises(ValidationFailed, match="Change log"):
        publishing.publish(pw.author, draft)
    v2 = publishing.publish(pw.author, draft, change_log="Simpler assessment.")
    assert v2.number == 2 and v2.effective_on is not None
    assert queries.latest_published(pw.protocol) == v2
    assert v1.sections[0].body == "Assess pain with the patient."


def test_only_authors_start_the_next_draft(pw):
    _publish_v1(pw)
    with pytest.raises(PermissionDenied):
        publishing.start_next_draft(pw.sg_reviewer, pw.protocol)


def test_the_diff_marks_added_removed_and_changed_sections_safely(pw):
    v1 = _publish_v1(pw)
    draft = publishing.start_next_draft(pw.author, pw.protocol)
    services.edit_section(pw.author, draft, "assessment", "Assessment",
                          "Assess pain & fear with the family.")  # fmt: skip
    services.remove_section(pw.author, draft, "breakthrough-doses")
    services.add_section(pw.author, draft, "Mouth care", "Keep the mouth moist.")
    v2 = publishing.publish(pw.author, draft, change_log="Mouth care.")
    changes = {c.key: c for c in diff.compare(v1, v2)}
    assert {k: c.status for k, c in changes.items()} == {
        "assessment": "changed",
        "breakthrough-doses": "removed",
        "mouth-care": "added",
    }
    html = str(changes["assessment"].html)
    assert "<del>patient.</del>" in html
    assert "&amp; fear" in html and " & " not in html  # escaped before it is marked
    assert diff.counts(list(changes.values()))["added"] == 1
