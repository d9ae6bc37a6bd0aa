"""Case conferences attended count as CPD: registered with the learner's statement."""

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.conferences.attendance import cpd_minutes
from app.learning.cpd import Activity, register_cpd_source


def conference_activities(user: User) -> list[Activity]:
    return [
        Activity(series.title, sessions, minutes) for series, sessions, minutes in cpd_minutes(user)
    ]


register_cpd_source(_l("Case conferences attended"), _l("Series"), conference_activities)
