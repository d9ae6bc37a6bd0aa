"""Workshops and their sessions follow their cohort: its staff run them, its learners
see their programme. Nobody else learns that they exist."""

from sqlalchemy import Select, select

from app.auth.permissions import MANAGE, VIEW, Rule, register
from app.cohorts import access as cohort_rule
from app.cohorts.models import Cohort
from app.workshops.models import Workshop, WorkshopSession


def can(user, action: str, workshop: Workshop) -> bool:
    return action in (VIEW, MANAGE) and cohort_rule.can(user, action, workshop.cohort)


def scope(user, query: Select, action: str) -> Select:
    cohorts = cohort_rule.scope(user, select(Cohort.id), action)
    return query.where(Workshop.cohort_id.in_(cohorts))


def can_session(user, action: str, session: WorkshopSession) -> bool:
    return can(user, action, session.workshop)


def scope_sessions(user, query: Select, action: str) -> Select:
    workshops = scope(user, select(Workshop.id), action)
    return query.where(WorkshopSession.workshop_id.in_(workshops))


register(Rule(Workshop, can, scope))
register(Rule(WorkshopSession, can_session, scope_sessions))
