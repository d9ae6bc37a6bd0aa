"""Adoptions of protocols: which published version an institution adopted. Every
signed-in person sees them (the protocol page lists them, with whom to ask); an
institution's coordinators, and administrators, record their institution's (``ADOPT``).

A new adoption is checked before its row exists: the service asks about an unsaved
``ProtocolAdoption`` naming the institution."""

from sqlalchemy import Select, false

from app.auth.models import Role
from app.auth.permissions import VIEW, Rule, register
from app.protocols.models import ProtocolAdoption

ADOPT = "adopt"  # record or replace an institution's adoption


def adopting_institution_ids(user) -> set[int] | None:
    """The institutions ``user`` records adoptions for; None means every one."""
    if user.has_role(Role.ADMIN):
        return None
    return set(user.coordinated_institution_ids)


def can(user, action: str, adoption: ProtocolAdoption) -> bool:
    if action == VIEW:
        return True
    if action != ADOPT:
        return False
    ids = adopting_institution_ids(user)
    return ids is None or adoption.institution_id in ids


def scope(user, query: Select, action: str) -> Select:
    if action == VIEW:
        return query
    if action != ADOPT:
        return query.where(false())
    ids = adopting_institution_ids(user)
    if ids is None:
        return query
    return query.where(ProtocolAdoption.institution_id.in_(ids)) if ids else query.where(false())


register(Rule(ProtocolAdoption, can, scope, private=False))
