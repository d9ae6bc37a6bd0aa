"""Reporting API tokens are their owner's alone: only they see and revoke them."""

from sqlalchemy import Select, false

from app.auth.permissions import REVOKE, VIEW, Rule, register
from app.dashboards.models import ApiToken


def can(user, action: str, token: ApiToken) -> bool:
    return action in (VIEW, REVOKE) and token.user_id == user.id


def scope(user, query: Select, action: str) -> Select:
    if action not in (VIEW, REVOKE):
        return query.where(false())
    return query.where(ApiToken.user_id == user.id)


register(Rule(ApiToken, can, scope))
