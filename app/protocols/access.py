"""Who may read, write and review a protocol.

- A published version is read by every signed-in person (learners read the protocols
  their lessons link to; funders too: it is a publication, not a person's record).
- A draft is seen by the protocol's authors, the draft's named reviewers and the
  administrators; everyone else is told nothing of it (404). A reviewer of an earlier
  draft sees the published versions only.
- EDIT (write sections, name reviewers, set the required approvals, accept or reject
  proposals, publish, start the next draft, adapt into one's own): authors and
  administrators, on a draft only (published versions are immutable).
- REVIEW (comment, propose, mark a section reviewed, approve): the draft's reviewers.
- Creating a protocol is a route policy (administrators, coordinators, trainers); the
  creator becomes its first author.

Rules read authorship and reviewers as they are now, on every request.
"""

from sqlalchemy import Select, false, or_, select

from app.auth.models import Role
from app.auth.permissions import VIEW, Rule, register
from app.extensions import db
from app.protocols.models import (
    Protocol,
    ProtocolReviewer,
    ProtocolVersion,
    VersionState,
    protocol_authors,
)

EDIT = "edit"  # write the draft and run its review (authors, administrators)
REVIEW = "review"  # comment, propose, mark reviewed, approve (the draft's reviewers)


def is_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


def is_author(user, protocol: Protocol) -> bool:
    return user.id in {author.id for author in protocol.authors}


def _authored(user):
    return select(protocol_authors.c.protocol_id).where(protocol_authors.c.user_id == user.id)


def _published():
    return select(ProtocolVersion.protocol_id).where(
        ProtocolVersion.state == VersionState.PUBLISHED
    )


def _reviewing(user):
    """The drafts ``user`` is named to review."""
    return (
        select(ProtocolVersion.id)
        .join(ProtocolReviewer, ProtocolReviewer.version_id == ProtocolVersion.id)
        .where(ProtocolVersion.state == VersionState.DRAFT, ProtocolReviewer.user_id == user.id)
    )


def reviews(user, version: ProtocolVersion) -> bool:
    """Whether ``user`` is named to review ``version`` (a draft)."""
    found = db.session.scalar(
        select(ProtocolReviewer.id).where(
            ProtocolReviewer.version_id == version.id, ProtocolReviewer.user_id == user.id
        )
    )
    return found is not None


# --- Protocols ----------------------------------------------------------------------------


def can_protocol(user, action: str, protocol: Protocol) -> bool:
    if action == EDIT:
        return is_admin(user) or is_author(user, protocol)
    if action != VIEW:
        return False
    if is_admin(user) or is_author(user, protocol):
        return True
    published = db.session.scalar(_published().where(ProtocolVersion.protocol_id == protocol.id))
    if published is not None:
        return True
    reviewed = _reviewing(user).where(ProtocolVersion.protocol_id == protocol.id)
    return db.session.scalar(reviewed) is not None


def scope_protocols(user, query: Select, action: str) -> Select:
    if is_admin(user) and action in (VIEW, EDIT):
        return query
    if action == EDIT:
        return query.where(Protocol.id.in_(_authored(user)))
    if action != VIEW:
        return query.where(false())
    reviewed = (
        select(ProtocolVersion.protocol_id)
        .join(ProtocolReviewer, ProtocolReviewer.version_id == ProtocolVersion.id)
        .where(ProtocolVersion.state == VersionState.DRAFT, ProtocolReviewer.user_id == user.id)
    )
    return query.where(
        or_(
            Protocol.id.in_(_published()),
            Protocol.id.in_(_authored(user)),
            Protocol.id.in_(reviewed),
        )
    )


def _load_protocol(slug):
    return db.session.scalar(select(Protocol).where(Protocol.slug == str(slug)))


# --- Versions -------------------------------------------------------------------------------


def can_version(user, action: str, version: ProtocolVersion) -> bool:
    if version.state == VersionState.PUBLISHED:
        return action == VIEW  # immutable: read by all signed in, changed by none
    if action == REVIEW:
        return reviews(user, version)
    editor = is_admin(user) or is_author(user, version.protocol)
    if action == EDIT:
        return editor
    return action == VIEW and (editor or reviews(user, version))


def scope_versions(user, query: Select, action: str) -> Select:
    published = ProtocolVersion.state == VersionState.PUBLISHED
    draft = ProtocolVersion.state == VersionState.DRAFT
    if action == REVIEW:
        return query.where(ProtocolVersion.id.in_(_reviewing(user)))
    if action not in (VIEW, EDIT):
        return query.where(false())
    if is_admin(user):
        return query if action == VIEW else query.where(draft)
    authored = draft & ProtocolVersion.protocol_id.in_(_authored(user))
    if action == EDIT:
        return query.where(authored)
    return query.where(or_(published, authored, ProtocolVersion.id.in_(_reviewing(user))))


register(Rule(Protocol, can_protocol, scope_protocols, load=_load_protocol))
register(Rule(ProtocolVersion, can_version, scope_versions))
