"""Calendar feeds: a personal feed of every series one attends and a feed per series,
each at a secret address that its owner can replace (which stops the old one).

Making or stopping an address is POST → redirect → GET: reloading the page never sends
the form again. The address itself is stored only as a hash, so the page can show it
once: the POST puts it in the session for the page it redirects to, which takes it out.
"""

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.auth.permissions import MANAGE, load_or_404
from app.auth.policies import PUBLIC, SIGNED_IN, allow
from app.conferences import bp, queries, services
from app.conferences.calendar import calendar_for
from app.conferences.feed_links import subscribe_links
from app.conferences.models import ConferenceSeries
from app.exceptions import InvalidToken
from app.extensions import db, limiter

REVEAL_KEY = "calendar_feed_reveal"  # [whose feed, token], for the next page only
PERSONAL_FEED_NAME = "Palliare"


def _whose(series: ConferenceSeries | None) -> str:
    return f"series:{series.id}" if series else f"user:{current_user.id}"


def _page_of(series: ConferenceSeries | None) -> str:
    if series is None:
        return url_for("conferences.my_calendar")
    return url_for("conferences.series_calendar", series_id=series.id)


def _feed_page(series: ConferenceSeries | None = None):
    """The feed page: whether an address exists, and the new one right after it was made."""
    token = None
    revealed = session.pop(REVEAL_KEY, None)
    if revealed and revealed[0] == _whose(series):
        token = revealed[1]
    url = url_for("conferences.feed", token=token, _external=True) if token else None
    name = series.title if series else PERSONAL_FEED_NAME
    return render_template(
        "conferences/feed.html",
        url=url,
        links=subscribe_links(url, name) if url else None,
        series=series,
        has_address=bool(queries.live_feeds(current_user, series)),
    )


def _new_address(series: ConferenceSeries | None):
    replaced = bool(queries.live_feeds(current_user, series))
    token = services.new_feed(current_user, series)
    db.session.commit()
    session[REVEAL_KEY] = [_whose(series), token]
    if replaced:
        flash(_("Your new address is ready. The old address no longer works."), "success")
    else:
        flash(_("Your address is ready."), "success")
    return redirect(_page_of(series), 303)


def _stop_address(series: ConferenceSeries | None):
    had_one = bool(queries.live_feeds(current_user, series))
    services.revoke_feeds(current_user, series)
    db.session.commit()
    if had_one:
        flash(
            _("The address no longer works: calendars subscribed to it get nothing more."),
            "success",
        )
    return redirect(_page_of(series), 303)


@bp.route("/conferences/calendar")
@allow(SIGNED_IN)
def my_calendar():
    """How to subscribe to one's own calendar of case conferences."""
    return _feed_page()


@bp.route("/conferences/calendar/new", methods=["POST"])
@allow(SIGNED_IN)
def new_my_calendar():
    """A new secret address for one's calendar (shown once; any previous one stops)."""
    return _new_address(None)


@bp.route("/conferences/calendar/revoke", methods=["POST"])
@allow(SIGNED_IN)
def revoke_my_calendar():
    """Stop one's calendar address."""
    return _stop_address(None)


@bp.route("/conferences/<int:series_id>/calendar")
@allow(SIGNED_IN)
def series_calendar(series_id: int):
    """The series' calendar address, to share with its audience (organisers)."""
    return _feed_page(load_or_404(ConferenceSeries, series_id, MANAGE))


@bp.route("/conferences/<int:series_id>/calendar/new", methods=["POST"])
@allow(SIGNED_IN)
def new_series_calendar(series_id: int):
    """A new secret address for a series' calendar, to share with its audience."""
    return _new_address(load_or_404(ConferenceSeries, series_id, MANAGE))


@bp.route("/conferences/<int:series_id>/calendar/revoke", methods=["POST"])
@allow(SIGNED_IN)
def revoke_series_calendar(series_id: int):
    """Stop the series' calendar address."""
    return _stop_address(load_or_404(ConferenceSeries, series_id, MANAGE))


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
        name = PERSONAL_FEED_NAME
    response = Response(calendar_for(series_list, name), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
