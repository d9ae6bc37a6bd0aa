"""Invitations: seen and withdrawn by whoever sent them, and by administrators."""

from sqlalchemy import Select, false

from app.auth.models import Invitation, Role
from app.auth.permissions import REVOKE, VIEW, Rule, register


def can(user, action: str, invitation: Invitation) -> bool:
    mine = user.has_role(Role.ADMIN) or invitation.invited_by_id == user.id
    return action in (VIEW, REVOKE) and mine


def scope(user, query: Select, action: str) -> Select:
    if action not in (VIEW, REVOKE):
        return query.where(false())
    if user.has_role(Role.ADMIN):
        return query
    return query.where(Invitation.invited_by_id == user.id)


register(Rule(Invitation, can, scope, private=False))
