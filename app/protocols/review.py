"""The review of a draft: its named reviewers, their comments per section, proposed
changes (accepted or rejected by the authors), per-section review marks and approvals.

A proposal carries the section's text as the reviewer saw it (``base_body``): one made
against text that has changed since is refused (:class:`StaleProposal`), never applied
over someone else's edit. Functions check the rule and the draft, flush, never commit,
and tell the people concerned (never the actor).
"""

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.permissions import VIEW, can, require
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.protocols import content, queries
from app.protocols.access import EDIT, REVIEW
from app.protocols.models import (
    ProposalState,
    ProtocolApproval,
    ProtocolComment,
    ProtocolProposal,
    ProtocolReviewer,
    ProtocolVersion,
    SectionReview,
)
from app.protocols.notices import tell
from app.protocols.services import expect_draft, section_of, text_changed


class StaleProposal(ValidationFailed):
    """A proposal made against a section's text that has changed since (409)."""


def _authors(version: ProtocolVersion) -> list[User]:
    return list(version.protocol.authors)


def _reviewers(version: ProtocolVersion) -> list[User]:
    return [row.user for row in queries.reviewers_of(version)]


# --- Reviewers --------------------------------------------------------------------------


def add_reviewer(actor: User, version: ProtocolVersion, person: User) -> ProtocolReviewer:
    """Name ``person`` (of any institution of the programme) to review the draft."""
    require(actor, EDIT, version)
    expect_draft(version)
    partners = queries.partner_institution_ids(version.protocol.programme_id)
    if person.institution_id not in partners or not person.active:
        raise ValidationFailed(
            _l(
                "Reviewers: %(name)s does not work at an institution of the programme "
                "%(programme)s.",
                name=person.name,
                programme=version.protocol.programme.name,
            ),
            "email",
        )
    if queries.reviewer_row(version, person.id) is not None:
        raise ValidationFailed(
            _l("%(name)s already reviews this draft.", name=person.name), "email"
        )
    row = ProtocolReviewer(version_id=version.id, user=person, invited_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    tell([person], version.protocol, "invited", actor, title=version.title)
    return row


def remove_reviewer(actor: User, version: ProtocolVersion, row: ProtocolReviewer) -> None:
    """A reviewer no longer reviews the draft; their approval of it goes too."""
    require(actor, EDIT, version)
    expect_draft(version)
    if row.version_id != version.id:
        raise ValidationFailed(_l("This person does not review this draft."))
    for approval in queries.approvals_of(version):
        if approval.user_id == row.user_id:
            db.session.delete(approval)
    db.session.delete(row)
    db.session.flush()


# --- Comments and review marks ----------------------------------------------------------


def may_comment(user: User, version: ProtocolVersion) -> bool:
    return can(user, REVIEW, version) or can(user, EDIT, version)


def comment(actor: User, version: ProtocolVersion, key: str, body: str) -> ProtocolComment:
    """A reviewer's (or an author's) comment on one section of the draft."""
    require(actor, VIEW, version)
    if not may_comment(actor, version):
        raise PermissionDenied(_l("Only the draft's authors and reviewers comment on it."))
    expect_draft(version)
    section = section_of(version, key)
    body = content.plain(body, _l("Comment"), "body", maximum=content.MAX_NOTE)
    row = ProtocolComment(version_id=version.id, section_key=key, author_id=actor.id, body=body)
    db.session.add(row)
    db.session.flush()
    earlier = [c.author for c in queries.comments_of(version) if c.section_key == key]
    tell(
        [*_authors(version), *earlier],
        version.protocol,
        "commented",
        actor,
        title=version.title,
        section=section.heading,
    )
    return row


def mark_reviewed(actor: User, version: ProtocolVersion, key: str) -> None:
    """The reviewer has reviewed this section as it stands (idempotent)."""
    require(actor, REVIEW, version)
    expect_draft(version)
    section_of(version, key)
    if queries.section_review(version, key, actor.id) is None:
        db.session.add(SectionReview(version_id=version.id, section_key=key, reviewer_id=actor.id))
        db.session.flush()


# --- Proposals --------------------------------------------------------------------------


def propose(
    actor: User, version: ProtocolVersion, key: str, base_body: str, body: str, reason: str = ""
) -> ProtocolProposal:
    """A reviewer proposes a new body for a section, against the text they saw."""
    if version.number is not None:  # published versions are read by all: say why not
        raise ValidationFailed(
            _l(
                "Version %(num)d is published: propose changes to the current draft.",
                num=version.number,
            )
        )
    require(actor, REVIEW, version)
    expect_draft(version)
    section = section_of(version, key)
    base_body = (base_body or "").replace("\r\n", "\n").strip()
    if base_body != section.body:
        raise StaleProposal(
            _l(
                "“%(section)s” has changed since you opened it: your proposal was made "
                "against an old text and was not saved. Open the section again.",
                section=section.heading,
            ),
            "body",
        )
    body = content.markdown(body, section.heading)
    if body == section.body:
        raise ValidationFailed(_l("The proposed text is the same as the section's."), "body")
    reason = content.plain(reason, _l("Why"), "reason", content.MAX_NOTE, required=False)
    proposal = ProtocolProposal(
        version_id=version.id,
        section_key=key,
        proposed_by_id=actor.id,
        base_body=base_body,
        body=body,
        reason=reason,
    )
    db.session.add(proposal)
    db.session.flush()
    tell(_authors(version), version.protocol, "proposed", actor, title=version.title,
         section=section.heading)  # fmt: skip
    return proposal


def _open_proposal(actor: User, version: ProtocolVersion, proposal: ProtocolProposal):
    require(actor, EDIT, version)
    expect_draft(version)
    if proposal.version_id != version.id:
        raise ValidationFailed(_l("This proposal is not on this draft."))
    if proposal.state != ProposalState.OPEN:
        raise ValidationFailed(_l("This proposal has already been decided."))
    return section_of(version, proposal.section_key)


def accept_proposal(actor: User, version: ProtocolVersion, proposal: ProtocolProposal) -> None:
    """The authors accept: the section's body becomes the proposed one."""
    section = _open_proposal(actor, version, proposal)
    if proposal.base_body != section.body:
        raise StaleProposal(
            _l(
                "“%(section)s” has changed since this proposal was made against it: it "
                "cannot be applied over the newer text. Reject it, or edit the section.",
                section=section.heading,
            )
        )
    section.body = proposal.body
    _decide(actor, proposal, ProposalState.ACCEPTED, "")
    text_changed(version, {section.key})
    tell([proposal.proposed_by], version.protocol, "proposal_accepted", actor,
         title=version.title, section=section.heading)  # fmt: skip


def reject_proposal(
    actor: User, version: ProtocolVersion, proposal: ProtocolProposal, note: str
) -> None:
    """The authors reject a proposal, saying why."""
    section = _open_proposal(actor, version, proposal)
    note = content.plain(note, _l("Why"), "note", content.MAX_NOTE)
    _decide(actor, proposal, ProposalState.REJECTED, note)
    tell([proposal.proposed_by], version.protocol, "proposal_rejected", actor,
         title=version.title, section=section.heading, note=note)  # fmt: skip


def _decide(actor: User, proposal: ProtocolProposal, state: ProposalState, note: str) -> None:
    proposal.state, proposal.decision_note = state, note
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    db.session.flush()


# --- Approval ---------------------------------------------------------------------------


def approve(actor: User, version: ProtocolVersion) -> ProtocolApproval:
    """A reviewer approves the draft as it stands (any later edit clears it)."""
    require(actor, REVIEW, version)
    expect_draft(version)
    if not version.sections:
        raise ValidationFailed(_l("The draft has no sections yet: nothing to approve."))
    if any(a.user_id == actor.id for a in queries.approvals_of(version)):
        raise ValidationFailed(_l("You have already approved this draft."))
    institution = actor.institution
    approval = ProtocolApproval(
        version_id=version.id,
        user_id=actor.id,
        name=actor.name,
        institution_name=institution.name if institution else "",
        country=institution.country if institution else "",
    )
    db.session.add(approval)
    db.session.flush()
    tell(_authors(version), version.protocol, "approved", actor, title=version.title)
    return approval
