"""On-site workshops of a cohort: sessions, and the attendance sheet (tablet-sized)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import MANAGE, VIEW, can, load_or_404
from app.auth.policies import COHORT_STAFF, SIGNED_IN, allow
from app.cohorts.models import Cohort
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.workshops import bp, queries
from app.workshops import services as workshops
from app.workshops.forms import SessionForm, WorkshopForm
from app.workshops.models import Workshop, WorkshopSession


@bp.route("/cohorts/<int:cohort_id>/workshops/new", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def new_workshop(cohort_id: int):
    """Plan an on-site workshop for the cohort."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    form = WorkshopForm()
    locale = str(get_locale())
    form.course.choices = [(0, _l("— none —"))] + [(c.id, c.title(locale)) for c in cohort.courses]
    if form.validate_on_submit():
        course = next((c for c in cohort.courses if c.id == form.course.data), None)
        workshop = workshops.create_workshop(current_user, cohort, form.title.data, course)
        db.session.commit()
        flash(_("Workshop created. Add its sessions."), "success")
        return redirect(url_for("workshops.workshop", workshop_id=workshop.id))
    status = 400 if form.errors else 200
    return render_template("workshops/workshop_new.html", cohort=cohort, form=form), status


@bp.route("/workshops/<int:workshop_id>")
@allow(SIGNED_IN)
def workshop(workshop_id: int):
    """The programme of a workshop, in the institution's local time."""
    workshop = load_or_404(Workshop, workshop_id, VIEW)
    return render_template(
        "workshops/workshop.html",
        workshop=workshop,
        tz=ZoneInfo(workshop.cohort.institution.timezone),
        manage=can(current_user, MANAGE, workshop),
    )


def _session_form(workshop: Workshop, session: WorkshopSession | None) -> SessionForm:
    form = SessionForm(obj=session)
    form.facilitators.choices = [(t.user_id, t.user.name) for t in workshop.cohort.trainers]
    if session is not None and request.method == "GET":
        tz = ZoneInfo(workshop.cohort.institution.timezone)
        form.starts_at.data = session.starts_at.astimezone(tz).replace(tzinfo=None)
        form.minutes.data = int((session.ends_at - session.starts_at) / timedelta(minutes=1))
        form.facilitators.data = [person.id for person in session.facilitators]
    return form


def _save_session(workshop: Workshop, session: WorkshopSession | None):
    form = _session_form(workshop, session)
    if form.validate_on_submit():
        chosen = set(form.facilitators.data)
        people = [t.user for t in workshop.cohort.trainers if t.user_id in chosen]
        try:
            workshops.save_session(
                current_user,
                workshop,
                session,
                form.starts_at.data,
                form.minutes.data,
                form.place.data,
                form.agenda.data or "",
                people,
            )
        except (PermissionDenied, ValidationFailed) as error:
            show_on_form(form, error, "facilitators")
        else:
            db.session.commit()
            flash(_("Session saved."), "success")
            return redirect(url_for("workshops.workshop", workshop_id=workshop.id))
    status = 400 if form.errors else 200
    context = {"workshop": workshop, "session": session, "form": form}
    return render_template("workshops/session_edit.html", **context), status


@bp.route("/workshops/<int:workshop_id>/sessions/new", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def new_session(workshop_id: int):
    """Add a session: date and time, length, place, agenda, facilitators."""
    return _save_session(load_or_404(Workshop, workshop_id, MANAGE), None)


@bp.route("/workshops/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def edit_session(session_id: int):
    """Change a session."""
    session = load_or_404(WorkshopSession, session_id, MANAGE)
    return _save_session(session.workshop, session)


@bp.route("/workshops/sessions/<int:session_id>/delete", methods=["POST"])
@allow(COHORT_STAFF)
def delete_session(session_id: int):
    """Remove a session and its attendance."""
    session = load_or_404(WorkshopSession, session_id, MANAGE)
    workshop_id = session.workshop_id
    workshops.delete_session(current_user, session)
    db.session.commit()
    flash(_("Session removed."), "info")
    return redirect(url_for("workshops.workshop", workshop_id=workshop_id))


@bp.route("/workshops/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def attendance(session_id: int):
    """The attendance sheet: one large checkbox per member, saved at once."""
    session = load_or_404(WorkshopSession, session_id, MANAGE)
    status = 200
    if request.method == "POST":
        if _save_attendance(session):
            return redirect(url_for("workshops.attendance", session_id=session.id), 303)
        status = 400  # refused (the session has not started): the page says why
    return render_template(
        "workshops/attendance.html",
        session=session,
        sheet=queries.attendance_sheet(session),
        tz=ZoneInfo(session.workshop.cohort.institution.timezone),
        started=session.starts_at <= utcnow(),
    ), status


def _save_attendance(session: WorkshopSession) -> bool:
    """Record who was present among the members shown on the sheet, and say so; False
    when the service refused (its message is flashed)."""
    shown, present = (
        {int(v) for v in request.form.getlist(name) if v.isdigit()} for name in ("shown", "present")
    )
    try:
        outcome = workshops.record_attendance(current_user, session, shown, present)
    except ValidationFailed as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    db.session.commit()
    recorded, completed = outcome.recorded, len(outcome.completions)
    flash(
        ngettext(
            "Attendance saved: %(num)d present.", "Attendance saved: %(num)d present.", recorded
        ),
        "success",
    )
    if completed:
        flash(
            ngettext(
                "%(num)d learner completed the course.",
                "%(num)d learners completed the course.",
                completed,
            ),
            "success",
        )
    return True
