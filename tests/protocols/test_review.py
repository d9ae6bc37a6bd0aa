"""Reviewers, comments, proposals, section marks and approvals (services, no HTTP)."""

import pytest
from sqlalchemy import select

from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.notifications.models import Notification
from app.protocols import publishing, queries, review, services
from app.protocols.models import ProposalState
from tests.protocols.conftest import DOSE_BODY


def _kinds(user) -> list[str]:
    """The variants of protocol_review notices ``user`` has, oldest first."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == user.id, Notification.kind == "protocol_review")
        .order_by(Notification.id)
    )
    return [n.params.get("variant") for n in rows]


def _named(pw):
    review.add_reviewer(pw.author, pw.draft, pw.sg_reviewer)
    review.add_reviewer(pw.author, pw.draft, pw.cn_reviewer)


def test_reviewers_come_from_the_programmes_institutions_and_are_told(pw):
    _named(pw)
    assert [r.user for r in queries.reviewers_of(pw.draft)] == [pw.sg_reviewer, pw.cn_reviewer]
    assert "invited" in _kinds(pw.cn_reviewer)
    with pytest.raises(ValidationFailed, match="does not work at an institution"):
        review.add_reviewer(pw.author, pw.draft, pw.outsider)
    with pytest.raises(ValidationFailed, match="already reviews"):
        review.add_reviewer(pw.author, pw.draft, pw.sg_reviewer)
    with pytest.raises(PermissionDenied):
        review.add_reviewer(pw.sg_reviewer, pw.draft, pw.learner)


def test_comments_per_section_tell_the_authors_never_the_actor(pw):
    _named(pw)
    review.comment(pw.cn_reviewer, pw.draft, "assessment", "Add a pain scale?")
    assert "commented" in _kinds(pw.author)
    review.comment(pw.author, pw.draft, "assessment", "Yes: the numeric scale.")
    assert "commented" in _kinds(pw.cn_reviewer)
    assert "commented" not in _kinds(pw.author)[1:]  # not told of their own reply
    with pytest.raises(PermissionDenied):
        review.comment(pw.learner, pw.draft, "assessment", "Me too")
    with pytest.raises(ValidationFailed, match="plain text"):
        review.comment(pw.cn_reviewer, pw.draft, "assessment", "<script>x</script>")


def test_an_accepted_proposal_replaces_the_sections_body(pw):
    _named(pw)
    section = services.section_of(pw.draft, "assessment")
    new = "Assess pain with the patient and family."
    proposal = review.propose(pw.cn_reviewer, pw.draft, "assessment", section.body, new, "Why")
    assert "proposed" in _kinds(pw.author)
    review.accept_proposal(pw.author, pw.draft, proposal)
    assert section.body == "Assess pain with the patient and family."
    assert proposal.state == ProposalState.ACCEPTED
    assert "proposal_accepted" in _kinds(pw.cn_reviewer)


def test_a_rejected_proposal_keeps_the_text_and_says_why(pw):
    _named(pw)
    section = services.section_of(pw.draft, "assessment")
    proposal = review.propose(pw.cn_reviewer, pw.draft, "assessment", section.body, "Shorter.")
    with pytest.raises(ValidationFailed, match="Why"):
        review.reject_proposal(pw.author, pw.draft, proposal, "")
    review.reject_proposal(pw.author, pw.draft, proposal, "Too short.")
    assert section.body == "Assess pain with the patient."
    assert (proposal.state, proposal.decision_note) == (ProposalState.REJECTED, "Too short.")
    with pytest.raises(ValidationFailed, match="already been decided"):
        review.accept_proposal(pw.author, pw.draft, proposal)


def test_a_proposal_against_an_old_text_is_refused(pw):
    _named(pw)
    old = services.section_of(pw.draft, "assessment").body
    services.edit_section(pw.author, pw.draft, "assessment", "Assessment", "Newer text.")
    with pytest.raises(review.StaleProposal, match="old text"):
        review.propose(pw.cn_reviewer, pw.draft, "assessment", old, "My version.")


def test_an_open_proposal_is_not_applied_over_a_later_edit(pw):
    _named(pw)
    body = services.section_of(pw.draft, "assessment").body
    proposal = review.propose(pw.cn_reviewer, pw.draft, "assessment", body, "Proposed.")
    services.edit_section(pw.author, pw.draft, "assessment", "Assessment", "Edited since.")
    with pytest.raises(review.StaleProposal, match="changed since"):
        review.accept_proposal(pw.author, pw.draft, proposal)
    assert services.section_of(pw.draft, "assessment").body == "Edited since."


def test_a_proposal_to_a_published_version_is_refused(pw):
    _named(pw)
    review.approve(pw.sg_reviewer, pw.draft)
    version = pw.draft
    publishing.publish(pw.author, version)
    with pytest.raises(ValidationFailed, match="Version 1 is published"):
        review.propose(pw.cn_reviewer, version, "assessment", "Assess pain with the patient.",
                       "Changed.")  # fmt: skip


def test_a_proposal_with_html_or_a_loose_dose_is_refused(pw):
    _named(pw)
    body = services.section_of(pw.draft, "breakthrough-doses").body
    with pytest.raises(ValidationFailed, match="Breakthrough doses"):
        review.propose(pw.cn_reviewer, pw.draft, "breakthrough-doses", body, "Give 10 mg.")
    assert body == DOSE_BODY.strip()


def test_only_the_drafts_reviewers_propose_mark_and_approve(pw):
    _named(pw)
    body = services.section_of(pw.draft, "assessment").body
    for act in (
        lambda: review.propose(pw.author, pw.draft, "assessment", body, "Mine."),
        lambda: review.mark_reviewed(pw.learner, pw.draft, "assessment"),
        lambda: review.approve(pw.author, pw.draft),
    ):
        with pytest.raises(PermissionDenied):
            act()


def test_the_draft_shows_who_reviewed_which_section(pw):
    _named(pw)
    review.mark_reviewed(pw.cn_reviewer, pw.draft, "assessment")
    review.mark_reviewed(pw.cn_reviewer, pw.draft, "assessment")  # once
    marks = queries.section_reviews_of(pw.draft)
    assert [(m.section_key, m.reviewer_id) for m in marks] == [("assessment", pw.cn_reviewer.id)]
    services.edit_section(pw.author, pw.draft, "assessment", "Assessment", "Changed.")
    assert queries.section_reviews_of(pw.draft) == []  # the text they reviewed is gone


def test_approval_snapshots_the_approver_and_any_edit_clears_it(pw):
    _named(pw)
    approval = review.approve(pw.cn_reviewer, pw.draft)
    assert (approval.name, approval.institution_name, approval.country) == (
        "Dr Wang",
        "Beijing Hospital",
        "CN",
    )
    assert "approved" in _kinds(pw.author)
    with pytest.raises(ValidationFailed, match="already approved"):
        review.approve(pw.cn_reviewer, pw.draft)
    services.edit_section(pw.author, pw.draft, "assessment", "Assessment", "Edited.")
    assert queries.approvals_of(pw.draft) == []
    review.approve(pw.cn_reviewer, pw.draft)
    services.move_section(pw.author, pw.draft, "assessment", 1)
    assert queries.approvals_of(pw.draft) == []


def test_removing_a_reviewer_removes_their_approval(pw):
    _named(pw)
    review.approve(pw.cn_reviewer, pw.draft)
    row = queries.reviewer_row(pw.draft, pw.cn_reviewer.id)
    review.remove_reviewer(pw.author, pw.draft, row)
    assert queries.approvals_of(pw.draft) == []
    with pytest.raises(PermissionDenied):
        review.approve(pw.cn_reviewer, pw.draft)
