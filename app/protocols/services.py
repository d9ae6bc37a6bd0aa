"""Writing a protocol: creating it (with its first draft), its details and the sections
of a draft (add, edit, reorder, remove).

Every function takes the person acting, checks the rule (``require``) and that the
version is a draft (published versions are immutable), validates everything before
writing, and flushes, never commits. Any change to a draft's text clears its approvals:
the approvers approve exactly what is published.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from app.auth.models import Role, User
from app.auth.permissions import require
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.institutions.models import Programme
from app.protocols import content, queries
from app.protocols.access import EDIT
from app.protocols.models import (
    Protocol,
    ProtocolSection,
    ProtocolVersion,
    VersionState,
)

CREATORS = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
MAX_SECTIONS = 60


@dataclass
class ProtocolDetails:
    """What a new protocol (or an adaptation) starts with."""

    title: str
    programme: Programme
    review_by: date
    scope: str = ""
    authors: list[User] = field(default_factory=list)  # besides the creator
    slug: str = ""  # the address lessons link by; made from the title when empty


# --- Guards -----------------------------------------------------------------------------


def expect_draft(version: ProtocolVersion) -> None:
    """Refuse any write to a published version."""
    if version.state != VersionState.DRAFT:
        raise ValidationFailed(
            _l(
                "Version %(num)d is published and cannot change: start the next draft.",
                num=version.number or 0,
            )
        )


def section_of(version: ProtocolVersion, key: str) -> ProtocolSection:
    for section in version.sections:
        if section.key == key:
            return section
    raise ValidationFailed(_l("This draft has no such section."), "section")


def text_changed(version: ProtocolVersion, keys=()) -> None:
    """The draft's text changed: its approvals go (approvers approve what is published),
    and so do the review marks of the sections that changed."""
    for approval in queries.approvals_of(version):
        db.session.delete(approval)
    for mark in queries.section_reviews_of(version):
        if mark.section_key in keys:
            db.session.delete(mark)
    db.session.flush()


# --- Creating ---------------------------------------------------------------------------


def may_create(user: User) -> bool:
    return user.has_role(*CREATORS)


def slug_base(title: str) -> str:
    """The address a title gives ("Subcutaneous opioids…" → subcutaneous-opioids…)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].strip("-")
    return base or "protocol"


def slug_for(title: str) -> str:
    """A unique address from the title (a number added when it is taken)."""
    base = slug_base(title)
    slug, n = base, 2
    while queries.slug_taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def check_details(actor: User, details: ProtocolDetails) -> list[User]:
    """Validate ``details``; the authors (the creator first), each from a partner."""
    content.plain(details.title, _l("Title"), "title")
    content.markdown(details.scope, str(_l("Scope")), "scope")
    if details.review_by is None:
        raise ValidationFailed(_l("Review by: enter a date."), "review_by")
    partners = queries.partner_institution_ids(details.programme.id)
    if not actor.has_role(Role.ADMIN) and actor.institution_id not in partners:
        raise ValidationFailed(
            _l("You may write protocols only for a programme your institution takes part in."),
            "programme",
        )
    authors = [actor]
    for person in details.authors:
        if person.id in {a.id for a in authors}:
            continue
        if person.institution_id not in partners:
            raise ValidationFailed(
                _l(
                    "Authors: %(name)s does not work at an institution of the programme "
                    "%(programme)s.",
                    name=person.name,
                    programme=details.programme.name,
                ),
                "authors",
            )
        authors.append(person)
    return authors


def create_protocol(
    actor: User, details: ProtocolDetails, adapted_from: ProtocolVersion | None = None
) -> Protocol:
    """A protocol with its (empty) first draft; the creator is its first author."""
    if not may_create(actor):
        raise PermissionDenied(_l("Administrators, coordinators and trainers write protocols."))
    authors = check_details(actor, details)
    title = details.title.strip()
    protocol = Protocol(
        slug=slug_for(details.slug or title),
        programme=details.programme,
        created_by=actor,
        authors=authors,
        adapted_from_version_id=adapted_from.id if adapted_from else None,
    )
    db.session.add(protocol)
    db.session.flush()
    draft = ProtocolVersion(
        protocol=protocol,
        state=VersionState.DRAFT,
        title=title,
        scope=(details.scope or "").strip(),
        review_by=details.review_by,
        created_by_id=actor.id,
        based_on_id=adapted_from.id if adapted_from else None,
    )
    db.session.add(draft)
    db.session.flush()
    return protocol


def update_details(
    actor: User, version: ProtocolVersion, title: str, scope: str, review_by: date
) -> None:
    """Change a draft's title, scope and review-by date."""
    require(actor, EDIT, version)
    expect_draft(version)
    title = content.plain(title, _l("Title"), "title")
    scope = content.markdown(scope, str(_l("Scope")), "scope")
    if review_by is None:
        raise ValidationFailed(_l("Review by: enter a date."), "review_by")
    if (title, scope) != (version.title, version.scope):
        text_changed(version)
    version.title, version.scope, version.review_by = title, scope, review_by
    db.session.flush()


# --- Sections ---------------------------------------------------------------------------


def _key_for(version: ProtocolVersion, heading: str) -> str:
    ascii_heading = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_heading.lower()).strip("-")[:50].strip("-")
    base = base or "section"
    taken = {section.key for section in version.sections}
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def add_section(actor: User, version: ProtocolVersion, heading: str, body: str):
    """A new section at the end of the draft."""
    require(actor, EDIT, version)
    expect_draft(version)
    heading = content.plain(heading, _l("Heading"), "heading")
    body = content.markdown(body, heading)
    if len(version.sections) >= MAX_SECTIONS:
        raise ValidationFailed(_l("A protocol has at most %(max)d sections.", max=MAX_SECTIONS))
    position = max((s.position for s in version.sections), default=0) + 1
    section = ProtocolSection(
        key=_key_for(version, heading), position=position, heading=heading, body=body
    )
    version.sections.append(section)
    text_changed(version)
    return section


def edit_section(actor: User, version: ProtocolVersion, key: str, heading: str, body: str):
    """Replace a section's heading and body (its key stays: versions compare by it)."""
    require(actor, EDIT, version)
    expect_draft(version)
    section = section_of(version, key)
    heading = content.plain(heading, _l("Heading"), "heading")
    body = content.markdown(body, heading)
    if (heading, body) == (section.heading, section.body):
        return section
    section.heading, section.body = heading, body
    text_changed(version, {key})
    return section


def move_section(actor: User, version: ProtocolVersion, key: str, offset: int) -> None:
    """Move a section one place up (-1) or down (+1)."""
    require(actor, EDIT, version)
    expect_draft(version)
    ordered = sorted(version.sections, key=lambda s: s.position)
    index = ordered.index(section_of(version, key))
    other = index + (1 if offset > 0 else -1)
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, section in enumerate(ordered, start=1):
        section.position = position
    text_changed(version)


def remove_section(actor: User, version: ProtocolVersion, key: str) -> None:
    require(actor, EDIT, version)
    expect_draft(version)
    version.sections.remove(section_of(version, key))
    text_changed(version, {key})


def add_author(actor: User, protocol: Protocol, person: User) -> None:
    """Another author, from an institution of the protocol's programme."""
    require(actor, EDIT, protocol)
    if person.institution_id not in queries.partner_institution_ids(protocol.programme_id):
        raise ValidationFailed(
            _l(
                "Authors: %(name)s does not work at an institution of the programme %(programme)s.",
                name=person.name,
                programme=protocol.programme.name,
            ),
            "email",
        )
    if person not in protocol.authors:
        protocol.authors.append(person)
    db.session.flush()
