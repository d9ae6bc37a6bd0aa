"""Cases submitted to a conference series (their attachments go with them).

The series' organisers see every case and run the agenda (accept, decline, order,
recommend). Its submitter sees their case, and the series' participants see it once it
is accepted, both only while they are still in the series' audience. Others are told
nothing of it.
"""

from sqlalchemy import Select, and_, false, or_, select

from app.auth.permissions import MANAGE, VIEW, Rule, register
from app.cases.models import ConferenceCase
from app.conferences import access as series_rule
from app.conferences.models import ConferenceSeries, SeriesParticipant


def can(user, action: str, case: ConferenceCase) -> bool:
    series = case.series
    if series_rule.can_organise(user, series):
        return action in (VIEW, MANAGE)
    if action != VIEW or not series_rule.in_audience(user, series):
        return False
    return case.submitter_id == user.id or (
        case.status == "accepted" and series_rule.is_participant(user, series)
    )


def scope(user, query: Select, action: str) -> Select:
    if action not in (VIEW, MANAGE):
        return query.where(false())
    organised = series_rule.scope(user, select(ConferenceSeries.id), MANAGE)
    if action == MANAGE:
        return query.where(ConferenceCase.series_id.in_(organised))
    audience = series_rule.scope(user, select(ConferenceSeries.id), VIEW)
    joined = select(SeriesParticipant.series_id).where(SeriesParticipant.user_id == user.id)
    shown = or_(
        ConferenceCase.submitter_id == user.id,
        and_(ConferenceCase.status == "accepted", ConferenceCase.series_id.in_(joined)),
    )
    return query.where(
        or_(
            ConferenceCase.series_id.in_(organised),
            and_(ConferenceCase.series_id.in_(audience), shown),
        )
    )


register(Rule(ConferenceCase, can, scope))
