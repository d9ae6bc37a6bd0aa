"""Publishing a draft and starting the next one.

A protocol names the approvals it needs (``count`` approvals from reviewers of a
country, or of one institution); a draft is published only when all are met, as a
numbered, immutable version with its effective date, change log (required from version
2 on) and its approvers as they were. The next draft copies the latest published
version's sections (same keys, so versions compare section by section) and the reasons
an adaptation differs. The protocol's row is locked so that only one draft exists and
numbers never collide.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.permissions import require
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.institutions.models import Institution
from app.protocols import content, queries
from app.protocols.access import EDIT
from app.protocols.models import (
    ApprovalRequirement,
    Protocol,
    ProtocolSection,
    ProtocolVersion,
    SectionDifference,
    VersionState,
)
from app.protocols.notices import tell
from app.protocols.services import expect_draft

MAX_COUNT = 20


def lock(protocol: Protocol) -> None:
    """Take the protocol's row for this transaction and read it afresh."""
    queries.lock_protocol(protocol)
    db.session.refresh(protocol)


# --- Required approvals -----------------------------------------------------------------


def add_requirement(
    actor: User,
    protocol: Protocol,
    country: str | None = None,
    institution: Institution | None = None,
    count: int = 1,
) -> ApprovalRequirement:
    """Require ``count`` approvals from reviewers of ``country`` or of ``institution``."""
    require(actor, EDIT, protocol)
    country = (country or "").strip().upper() or None
    if (country is None) == (institution is None):
        raise ValidationFailed(
            _l("Choose a country or an institution (one of the two)."), "country"
        )
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise ValidationFailed(_l("Country: two letters, such as SG or CN."), "country")
    if not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise ValidationFailed(_l("Approvals: a number from 1 to %(max)d.", max=MAX_COUNT), "count")
    row = ApprovalRequirement(
        protocol_id=protocol.id, country=country, institution=institution, count=count
    )
    db.session.add(row)
    db.session.flush()
    return row


def remove_requirement(actor: User, protocol: Protocol, row: ApprovalRequirement) -> None:
    require(actor, EDIT, protocol)
    if row.protocol_id != protocol.id:
        raise ValidationFailed(_l("This requirement is not this protocol's."))
    db.session.delete(row)
    db.session.flush()


def requirement_label(row: ApprovalRequirement) -> str:
    if row.institution is not None:
        return str(_l("%(count)d from %(place)s", count=row.count, place=row.institution.name))
    return str(_l("%(count)d from country %(place)s", count=row.count, place=row.country))


def met_by(row: ApprovalRequirement, approvals) -> int:
    """How many of ``approvals`` count towards ``row``."""
    if row.institution_id is not None:
        return sum(
            1
            for a in approvals
            if a.user is not None and a.user.institution_id == row.institution_id
        )
    return sum(1 for a in approvals if a.country == row.country)


def missing(version: ProtocolVersion) -> list[str]:
    """What the draft still lacks to be published, one line each (empty: it may be)."""
    approvals = queries.approvals_of(version)
    lines = []
    for row in queries.requirements_of(version.protocol):
        have = met_by(row, approvals)
        if have < row.count:
            lines.append(
                str(
                    _l(
                        "%(label)s: %(have)d of %(count)d approvals",
                        label=requirement_label(row),
                        have=have,
                        count=row.count,
                    )
                )
            )
    return lines


# --- Publishing -------------------------------------------------------------------------


def publish(
    actor: User,
    version: ProtocolVersion,
    effective_on: date | None = None,
    change_log: str = "",
) -> ProtocolVersion:
    """Publish the draft as the next numbered, immutable version."""
    protocol = version.protocol
    lock(protocol)
    db.session.refresh(version)
    require(actor, EDIT, version)
    expect_draft(version)
    if not version.sections:
        raise ValidationFailed(_l("The draft has no sections: write at least one."))
    number = queries.highest_number(protocol) + 1
    change_log = (change_log or "").strip()
    if number > 1 and not change_log:
        raise ValidationFailed(
            _l("Change log: say what changed since version %(num)d.", num=number - 1),
            "change_log",
        )
    if change_log:
        change_log = content.markdown(change_log, str(_l("Change log")), "change_log")
    lacking = missing(version)
    if lacking:
        raise ValidationFailed(
            _l(
                "Not published: the approvals this protocol needs are missing (%(list)s).",
                list="; ".join(lacking),
            )
        )
    version.number, version.state = number, VersionState.PUBLISHED
    version.effective_on = effective_on or utcnow().date()
    version.change_log = change_log
    version.published_at, version.published_by_id = utcnow(), actor.id
    db.session.flush()
    people = [*protocol.authors, *(row.user for row in queries.reviewers_of(version))]
    tell(people, protocol, "published", actor, title=version.title, number=number)
    return version


def start_next_draft(actor: User, protocol: Protocol) -> ProtocolVersion:
    """A new draft from the latest published version (one draft at a time)."""
    lock(protocol)
    require(actor, EDIT, protocol)
    if queries.draft_of(protocol) is not None:
        raise ValidationFailed(_l("This protocol already has a draft: continue it."))
    latest = queries.latest_published(protocol)
    if latest is None:
        raise ValidationFailed(_l("Nothing is published yet: continue the draft."))
    draft = copy_version(latest, protocol, actor)
    for row in queries.differences_of(latest):
        db.session.add(
            SectionDifference(version_id=draft.id, section_key=row.section_key, reason=row.reason)
        )
    db.session.flush()
    return draft


def copy_version(source: ProtocolVersion, protocol: Protocol, actor: User) -> ProtocolVersion:
    """A draft of ``protocol`` with ``source``'s title, scope, review-by and sections."""
    draft = ProtocolVersion(
        protocol=protocol,
        state=VersionState.DRAFT,
        title=source.title,
        scope=source.scope,
        review_by=source.review_by,
        based_on_id=source.id,
        created_by_id=actor.id,
    )
    draft.sections = [
        ProtocolSection(key=s.key, position=s.position, heading=s.heading, body=s.body)
        for s in source.sections
    ]
    db.session.add(draft)
    db.session.flush()
    return draft
