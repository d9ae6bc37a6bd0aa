"""Programmes: administrators see and change every one; funders see the programmes they
fund (aggregates only, never a person); the trainers and coordinators of a taking-part
institution see its trainer cascade. Others are told nothing of it."""

from sqlalchemy import Select, false, or_, select

from app.auth.models import Role
from app.auth.permissions import CASCADE, REPORT, VIEW, Rule, register
from app.institutions.models import Programme, programme_institutions


def _taking_part(user) -> set[int]:
    """The institutions through which ``user`` sees a programme's cascade."""
    institutions = set(user.coordinated_institution_ids)
    if user.has_role(Role.TRAINER) and user.institution_id:
        institutions.add(user.institution_id)
    return institutions


def can(user, action: str, programme: Programme) -> bool:
    if user.has_role(Role.ADMIN):
        return True
    if action in (VIEW, REPORT, CASCADE) and programme.id in user.funded_programme_ids:
        return True
    if action == CASCADE:
        return bool(_taking_part(user) & {i.id for i in programme.institutions})
    return False


def scope(user, query: Select, action: str) -> Select:
    if user.has_role(Role.ADMIN):
        return query
    if action not in (VIEW, REPORT, CASCADE):
        return query.where(false())
    reachable = [Programme.id.in_(user.funded_programme_ids)]
    if action == CASCADE:
        taking_part = select(programme_institutions.c.programme_id).where(
            programme_institutions.c.institution_id.in_(_taking_part(user))
        )
        reachable.append(Programme.id.in_(taking_part))
    return query.where(or_(*reachable))


register(Rule(Programme, can, scope))
