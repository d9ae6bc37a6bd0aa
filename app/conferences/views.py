"""Conference series pages: the list, creating and editing, the series page (in the
viewer's time zone), joining, and one session's page with its changes and attendance."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.auth.permissions import JOIN, MANAGE, VIEW, can, load_or_404
from app.auth.policies import COHORT_STAFF, SIGNED_IN, allow
from app.conferences import access as series_rule
from app.conferences import bp, queries, services
from app.conferences.agenda import agenda_for, cases_of, queue_for
from app.conferences.attendance import attended, record_attendance
from app.conferences.forms import ChangeForm, SeriesForm
from app.conferences.mail import mail_series
from app.conferences.models import ConferenceSeries
from app.conferences.recurrence import (
    build_rule,
    find_occurrence,
    occurrences,
    usual_local_time,
)
from app.conferences.stamps import moment_of, stamp_of, viewer_zone
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.forms import show_on_form


@bp.route("/conferences/")
@allow(SIGNED_IN)
def list_series():
    """Case-conference series one may attend, with the next session of each."""
    now = utcnow()
    items = []
    for series in queries.list_series_for(current_user):
        upcoming = [
            o for o in occurrences(series, now, now + timedelta(days=120)) if not o.cancelled
        ]
        items.append((series, upcoming[0] if upcoming else None))
    return render_template("conferences/list.html", items=items, tz=viewer_zone())


def _series_form(series: ConferenceSeries | None) -> SeriesForm:
    form = SeriesForm(obj=series)
    form.owner.choices = services.owner_choices(current_user)
    if request.method == "GET" and series is not None:
        owner = (
            ("programme", series.programme_id)
            if series.programme_id
            else (
                ("institution", series.institution_id)
                if series.institution_id
                else ("cohort", series.cohort_id)
            )
        )
        form.owner.data = f"{owner[0]}:{owner[1]}"
    elif request.method == "GET":
        form.timezone.data = str(get_timezone())
    return form


def _details(form: SeriesForm) -> services.SeriesDetails:
    kind, _sep, owner_id = form.owner.data.partition(":")
    if not form.count.data and not form.until.data:
        raise ValidationFailed(_("Give a number of sessions or an end date."), "count")
    rule = build_rule(
        form.frequency.data,
        form.interval.data,
        form.starts_local.data.date(),
        form.count.data,
        form.until.data,
        form.timezone.data,
    )
    return services.SeriesDetails(
        title=form.title.data,
        description=form.description.data or "",
        owner=(kind, int(owner_id)),
        timezone=form.timezone.data,
        starts_local=form.starts_local.data,
        duration_minutes=form.duration_minutes.data,
        rrule=rule,
        meeting_url=form.meeting_url.data,
        max_cases=form.max_cases.data,
    )


def _save(form: SeriesForm, series: ConferenceSeries | None):
    try:
        if series is None:
            series = services.create_series(current_user, _details(form))
        else:
            services.update_series(current_user, series, _details(form))
    except (PermissionDenied, ValidationFailed) as error:
        show_on_form(form, error, "title")
        return None
    return series  # the caller commits, with the e-mails it queues


@bp.route("/conferences/new", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def new_series():
    """Schedule a recurring case conference."""
    form = _series_form(None)
    if form.validate_on_submit() and (series := _save(form, None)):
        db.session.commit()
        flash(_("Series “%(title)s” scheduled.", title=series.title), "success")
        return redirect(url_for("conferences.series", series_id=series.id))
    return render_template(
        "conferences/edit.html", form=form, series=None
    ), 400 if form.errors else 200


@bp.route("/conferences/<int:series_id>/edit", methods=["GET", "POST"])
@allow(SIGNED_IN)
def edit_series(series_id: int):
    """Change a series; participants are e-mailed the updated calendar."""
    series = load_or_404(ConferenceSeries, series_id, MANAGE)
    form = _series_form(series)
    if form.validate_on_submit() and _save(form, series):
        mail_series(series, "conference_changed", change=None)
        db.session.commit()
        flash(_("Series saved; participants were sent the updated calendar."), "success")
        return redirect(url_for("conferences.series", series_id=series.id))
    return render_template(
        "conferences/edit.html", form=form, series=series
    ), 400 if form.errors else 200


@bp.route("/conferences/<int:series_id>")
@allow(SIGNED_IN)
def series(series_id: int):
    """Upcoming and recent sessions in the viewer's time zone, the panel, one's cases."""
    series = load_or_404(ConferenceSeries, series_id, VIEW)
    now, tz = utcnow(), viewer_zone()
    upcoming = occurrences(series, now, now + timedelta(days=180))[:12]
    recent = occurrences(series, now - timedelta(days=90), now)[-4:]
    return render_template(
        "conferences/series.html",
        series=series,
        upcoming=upcoming,
        recent=[o for o in recent if o.end <= now],
        usual=usual_local_time(upcoming + recent, tz),
        tz=tz,
        organiser=can(current_user, MANAGE, series),
        participant=series_rule.is_participant(current_user, series),
        people=queries.participants(series),
        my_cases=cases_of(current_user, series),
        queue=queue_for(series) if can(current_user, MANAGE, series) else [],
        stamp_of=stamp_of,
    )


@bp.route("/conferences/<int:series_id>/join", methods=["POST"])
@allow(SIGNED_IN)
def join(series_id: int):
    """Attend the series: its sessions appear in one's calendar feed; the e-mail carries
    the .ics."""
    series = load_or_404(ConferenceSeries, series_id, JOIN)
    services.join_series(current_user, series)
    mail_series(series, "conference_joined", people=[current_user])
    db.session.commit()
    flash(
        _("You attend “%(title)s”. The calendar is in your e-mail.", title=series.title), "success"
    )
    return redirect(url_for("conferences.series", series_id=series.id), 303)


@bp.route("/conferences/<int:series_id>/leave", methods=["POST"])
@allow(SIGNED_IN)
def leave(series_id: int):
    """Stop attending the series."""
    series = load_or_404(ConferenceSeries, series_id, VIEW)
    try:
        services.leave_series(current_user, series)
    except ValidationFailed as error:
        flash(str(error), "error")
    db.session.commit()
    return redirect(url_for("conferences.series", series_id=series.id), 303)


@bp.route("/conferences/<int:series_id>/panel/<int:user_id>", methods=["POST"])
@allow(SIGNED_IN)
def toggle_panel(series_id: int, user_id: int):
    """Put a participant on the hub panel, or take them off it."""
    series = load_or_404(ConferenceSeries, series_id, MANAGE)
    person = db.session.get(User, user_id) or abort(404)
    try:
        services.set_panel(current_user, series, person, request.form.get("panel") == "1")
    except ValidationFailed as error:
        flash(str(error), "error")
    db.session.commit()
    return redirect(url_for("conferences.series", series_id=series.id), 303)


@bp.route("/conferences/<int:series_id>/sessions/<stamp>")
@allow(SIGNED_IN)
def session(series_id: int, stamp: str):
    """One session: its time, agenda and, for organisers, changes and attendance."""
    series = load_or_404(ConferenceSeries, series_id, VIEW)
    occurrence = find_occurrence(series, moment_of(stamp)) or abort(404)
    return _session_page(series, occurrence, stamp)


def _session_page(series: ConferenceSeries, occurrence, stamp: str):
    organiser = can(current_user, MANAGE, series)
    participant = series_rule.is_participant(current_user, series)
    agenda = agenda_for(series, occurrence.original_start) if organiser or participant else []
    return render_template(
        "conferences/session.html",
        series=series,
        occurrence=occurrence,
        stamp=stamp,
        tz=viewer_zone(),
        agenda=agenda,
        organiser=organiser,
        change_form=ChangeForm(note=occurrence.note),
        people=queries.participants(series) if organiser else [],
        present=attended(series, occurrence.original_start) if organiser else set(),
        started=occurrence.start <= utcnow(),
    )


@bp.route("/conferences/<int:series_id>/sessions/<stamp>/change", methods=["POST"])
@allow(SIGNED_IN)
def change_session(series_id: int, stamp: str):
    """Cancel or move one session; participants are e-mailed the updated calendar."""
    series = load_or_404(ConferenceSeries, series_id, MANAGE)
    form = ChangeForm()
    original = moment_of(stamp)
    if not form.validate():
        flash(_("Give the new time as a date and time."), "error")
        return redirect(url_for("conferences.session", series_id=series.id, stamp=stamp), 303)
    try:
        if form.cancelled.data or form.new_start.data:
            change = services.change_occurrence(
                current_user,
                series,
                original,
                form.cancelled.data,
                form.new_start.data,
                form.note.data or "",
            )
        else:  # neither: the session is back at its scheduled time
            services.restore_occurrence(current_user, series, original)
            change = None
    except ValidationFailed as error:
        flash(str(error), "error")
        return redirect(url_for("conferences.session", series_id=series.id, stamp=stamp), 303)
    mail_series(series, "conference_changed", change=change, original_start=original)
    db.session.commit()
    flash(_("Saved; participants were sent the updated calendar."), "success")
    return redirect(url_for("conferences.session", series_id=series.id, stamp=stamp), 303)


@bp.route("/conferences/<int:series_id>/sessions/<stamp>/attendance", methods=["POST"])
@allow(SIGNED_IN)
def attendance(series_id: int, stamp: str):
    """Record who attended (it counts toward their CPD hours)."""
    series = load_or_404(ConferenceSeries, series_id, MANAGE)
    present = {int(v) for v in request.form.getlist("present") if v.isdigit()}
    try:
        count = record_attendance(current_user, series, moment_of(stamp), present)
    except ValidationFailed as error:  # not started yet, or cancelled: say so on its page
        db.session.rollback()
        occurrence = find_occurrence(series, moment_of(stamp)) or abort(404)
        flash(str(error), "error")
        return _session_page(series, occurrence, stamp), 400
    db.session.commit()
    message = ngettext(
        "Attendance saved: %(num)d present.", "Attendance saved: %(num)d present.", count
    )
    flash(message, "success")
    return redirect(url_for("conferences.session", series_id=series.id, stamp=stamp), 303)
