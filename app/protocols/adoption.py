"""Recording which published version of a protocol an institution adopted, from which
date, and whom to ask about it. One adoption per protocol and institution: recording
another replaces it."""

from datetime import date

from flask_babel import lazy_gettext as _l

from app.auth.permissions import require
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.institutions.models import Institution
from app.protocols import adoption_queries as queries
from app.protocols.adoption_access import ADOPT
from app.protocols.models import ProtocolAdoption, ProtocolVersion, VersionState

REFUSED = _l("You may record adoptions for your own institution only.")


def record_adoption(
    actor, institution: Institution, version: ProtocolVersion, adopted_on: date, contact
) -> ProtocolAdoption:
    """Record (or replace) ``institution``'s adoption of ``version``'s protocol."""
    existing = queries.get_adoption(version.protocol_id, institution.id)
    adoption = existing or ProtocolAdoption(
        protocol_id=version.protocol_id, institution_id=institution.id
    )
    require(actor, ADOPT, adoption, REFUSED)
    _check(institution, version, adopted_on, contact)
    adoption.version_id = version.id
    adoption.version = version
    adoption.adopted_on = adopted_on
    adoption.contact_id = contact.id if contact else None
    adoption.recorded_by_id = actor.id
    adoption.recorded_at = utcnow()
    if existing is None:
        db.session.add(adoption)
    db.session.flush()
    return adoption


def _check(institution, version, adopted_on, contact) -> None:
    if version.state != VersionState.PUBLISHED:
        raise ValidationFailed(_l("Only a published version can be adopted."), "version")
    if adopted_on is None:
        raise ValidationFailed(_l("Give the date the version was adopted."), "adopted_on")
    if version.effective_on and adopted_on < version.effective_on:
        raise ValidationFailed(
            _l(
                "Version %(number)s takes effect on %(date)s: it cannot be adopted before.",
                number=version.number,
                date=version.effective_on.isoformat(),
            ),
            "adopted_on",
        )
    if contact is None:
        raise ValidationFailed(_l("Choose whom to ask about it."), "contact")
    if contact.institution_id != institution.id:
        raise ValidationFailed(
            _l("The person to ask must belong to %(name)s.", name=institution.name), "contact"
        )
