"""Completed observerships count as CPD: registered with the learner's statement, one
line per completed placement whose certificate stands (days present, hours logged)."""

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.learning.cpd import Activity, register_cpd_source
from app.placements.outcome_queries import completed_with_certificate


def observership_activities(user: User) -> list[Activity]:
    return [
        Activity(
            f"{certificate.title} — {certificate.host_name}",
            certificate.days_present,
            int(round(certificate.hours * 60)),
        )
        for _placement, certificate in completed_with_certificate(user)
    ]


register_cpd_source(_l("Observerships"), _l("Placement"), observership_activities, _l("Days"))
