"""Calendar feeds: a personal feed of every series one attends and a feed per series,
each at a secret address that its owner can replace (which stops the old one)."""

from flask import Response, abort, render_template, url_for
from flask_login import current_user

from app.auth.models import User
from app.auth.permissions import MANAGE, load_or_404
from app.auth.policies import PUBLIC, SIGNED_IN, allow
from app.conferences import bp, queries, services
from app.conferences.calendar import calendar_for
from app.conferences.models import ConferenceSeries
from app.exceptions import InvalidToken
from app.extensions import db, limiter


def _feed_page(token: str | None, series: ConferenceSeries | None = None):
    url = url_for("conferences.feed", token=token, _external=True) if token else None
    return render_template("conferences/feed.html", url=url, series=series)


@bp.route("/conferences/calendar")
@allow(SIGNED_IN)
def my_calendar():
    """How to subscribe to one's own calendar of case conferences."""
    return _feed_page(None)


@bp.route("/conferences/calendar/new", methods=["POST"])
@allow(SIGNED_IN)
def new_my_calendar():
    """A new secret address for one's calendar (shown once; the old one stops)."""
    token = services.new_feed(current_user)
    db.session.commit()
    return _feed_page(token)


@bp.route("/conferences/calendar/revoke", methods=["POST"])
@allow(SIGNED_IN)
def revoke_my_calendar():
    """Stop one's calendar address."""
    services.revoke_feeds(current_user)
    db.session.commit()
    return _feed_page(None)


@bp.route("/conferences/<int:series_id>/calendar/new", methods=["POST"])
@allow(SIGNED_IN)
def new_series_calendar(series_id: int):
    """A new secret address for a series' calendar, to share with its audience."""
    series = load_or_404(ConferenceSeries, series_id, MANAGE)
    token = services.new_feed(current_user, series)
    db.session.commit()
    return _feed_page(token, series)


@bp.route("/conferences/<int:series_id>/calendar/revoke", methods=["POST"])
@allow(SIGNED_IN)
def revoke_series_calendar(series_id: int):
    """Stop the series' calendar address."""
    series = load_or_404(ConferenceSeries, series_id, MANAGE)
    services.revoke_feeds(current_user, series)
    db.session.commit()
    return _feed_page(None, series)


@bp.route("/calendar/<token>.ics")
@allow(PUBLIC)
@limiter.limit("120 per minute")
def feed(token: str):
    """The .ics behind a secret address (calendar apps fetch it without signing in)."""
    try:
        record = services.find_feed(token)
    except InvalidToken:
        abort(404)
    if record.series_id is not None:
        series_list = [db.session.get(ConferenceSeries, record.series_id)]
        name = series_list[0].title
    else:
        series_list = queries.series_attended_by(db.session.get(User, record.user_id))
        name = "Palliare"
    response = Response(calendar_for(series_list, name), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
