"""The calendar page: one's sessions of a month, as a grid and an agenda."""

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.policies import SIGNED_IN, allow
from app.calendar import bp, queries
from app.calendar.months import BadMonth, Month, parse_month
from app.calendar.pages import month_page
from app.conferences.stamps import viewer_zone
from app.db_types import utcnow


@bp.route("/calendar")
@allow(SIGNED_IN)
def index():
    """One's workshops and case-conference sessions of a month (``?month=YYYY-MM``;
    this month by default), in one's own time zone."""
    zone = viewer_zone()
    today = utcnow().astimezone(zone).date()
    asked = request.args.get("month", "")
    month, error = Month.of(today), None
    if asked:
        try:
            month = parse_month(asked)
        except BadMonth:
            error = _(
                "“%(month)s” is not a month the calendar can show: give it as year and "
                "month, like %(example)s. This month is shown instead.",
                month=asked[:20],
                example=Month.of(today).key,
            )
    start, end = month.bounds(zone)
    page = month_page(
        month, queries.entries_between(current_user, start, end), zone, today, get_locale()
    )
    upcoming = [] if page.agenda else queries.upcoming_sessions(current_user, limit=1)
    html = render_template(
        "calendar/index.html",
        page=page,
        zone=zone,
        this_month=Month.of(today),
        error=error,
        asked=asked[:20],
        next_session=upcoming[0] if upcoming else None,
    )
    return html, 400 if error else 200
