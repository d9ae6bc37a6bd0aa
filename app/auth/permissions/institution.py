"""Institutions: administrators run every one, coordinators their own.

Trainers may also invite learners to their own institution. An institution a person may
not run is not shown to them at all (its dashboard answers 404).
"""

from sqlalchemy import Select, false

from app.auth.models import Role
from app.auth.permissions import INVITE, MANAGE, REPORT, VIEW, Rule, register
from app.institutions.models import Institution


def _ids(user, action: str) -> set[int] | None:
    """The institutions ``user`` may ``action``; None means every one."""
    if user.has_role(Role.ADMIN):
        return None
    ids = set(user.coordinated_institution_ids)
    if action == INVITE and user.institution_id and user.has_role(Role.TRAINER):
        ids.add(user.institution_id)
    return ids if action in (VIEW, MANAGE, REPORT, INVITE) else set()


def can(user, action: str, institution: Institution) -> bool:
    return allows(user, action, institution.id)


def scope(user, query: Select, action: str) -> Select:
    ids = _ids(user, action)
    if ids is None:
        return query
    return query.where(Institution.id.in_(ids)) if ids else query.where(false())


def allows(user, action: str, institution_id: int | None) -> bool:
    """:func:`can` by id (None: no institution, which only administrators act on), for
    the rules of what belongs to an institution."""
    ids = _ids(user, action)
    return ids is None or (institution_id is not None and institution_id in ids)


def can_manage(user, institution_id: int | None) -> bool:
    return allows(user, MANAGE, institution_id)


register(Rule(Institution, can, scope))
