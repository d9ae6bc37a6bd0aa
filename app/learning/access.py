"""Certificates: seen by their holder and by administrators, who alone revoke them.
Anyone may check one on the public verification page by its code; nobody else sees its
page (they are told it does not exist)."""

from sqlalchemy import Select, false, select

from app.auth.models import Role
from app.auth.permissions import REVOKE, VIEW, Rule, register
from app.learning.models import Certificate, Completion
from app.learning.queries import find_certificate


def can(user, action: str, certificate: Certificate) -> bool:
    if user.has_role(Role.ADMIN):
        return action in (VIEW, REVOKE)
    return action == VIEW and certificate.completion.user_id == user.id


def scope(user, query: Select, action: str) -> Select:
    if user.has_role(Role.ADMIN) and action in (VIEW, REVOKE):
        return query
    if action != VIEW:
        return query.where(false())
    mine = select(Completion.id).where(Completion.user_id == user.id)
    return query.where(Certificate.completion_id.in_(mine))


register(Rule(Certificate, can, scope, load=find_certificate))
