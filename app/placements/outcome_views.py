"""Pages of what a placement leads to: its panel on the placement page (completion and
the certificate's link, what the host learned, the plan and its follow-ups), what the host
team learned, the adaptation plan and its 3- and 6-month follow-ups. The certificate's own
pages are certificate_views.py."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import VIEW, load_or_404
from app.auth.policies import SIGNED_IN, allow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.placements import bp, days, outcome_queries, outcomes
from app.placements.models import (
    CHANGE_STATUS_LABELS,
    ChangeStatus,
    Placement,
)
from app.placements.outcome_forms import FollowUpForm, HostLearningForm, PlanForm

# --- What the host team learned -----------------------------------------------------------


@bp.route("/placements/<int:placement_id>/host-learning", methods=["GET", "POST"])
@allow(SIGNED_IN)
def host_learning(placement_id: int):
    """What the host team learned: shown to all who see the placement; recorded or
    edited by the supervisor or a host coordinator once it is accepted."""
    placement = load_or_404(Placement, placement_id, VIEW)
    may_record = outcomes.may_record_host_learning(current_user, placement)
    form = HostLearningForm(data={"text": placement.host_learning or ""})
    status = 200
    if request.method == "POST":
        form = HostLearningForm()
        status = 400
        if form.validate_on_submit():
            try:
                outcomes.record_host_learning(current_user, placement, form.text.data)
            except (PermissionDenied, ValidationFailed) as error:
                show_on_form(form, error, "text")
                status = 403 if isinstance(error, PermissionDenied) else 400
            else:
                db.session.commit()
                flash(_("Saved: what the host team learned."), "success")
                return redirect(url_for("placements.placement", placement_id=placement.id), 303)
    return render_template(
        "placements/host_learning.html", placement=placement, form=form, may_record=may_record
    ), status


# --- The adaptation plan --------------------------------------------------------------


def _plan_form(placement: Placement) -> PlanForm:
    if request.method == "POST":
        return PlanForm()
    form = PlanForm()
    for row, change in zip(form.changes, placement.changes, strict=False):
        row.form.description.data = change.description
        row.form.owner.data = change.owner
        row.form.target_on.data = change.target_on
    return form


def _rows(form: PlanForm) -> list[outcomes.ChangeRow]:
    return [
        outcomes.ChangeRow(
            row.form.description.data or "", row.form.owner.data or "", row.form.target_on.data
        )
        for row in form.changes
    ]


def _show_on_row(form: PlanForm, error) -> None:
    """Put the service's message beside the row's field it names (changes-<i>-<name>)."""
    db.session.rollback()
    field = getattr(error, "field", None) or ""
    parts = field.split("-")
    if len(parts) == 3 and parts[0] == "changes" and parts[1].isdigit():
        index = int(parts[1])
        if index < len(form.changes):
            getattr(form.changes[index].form, parts[2]).errors.append(str(error))
            return
    form.form_errors.append(str(error))


@bp.route("/placements/<int:placement_id>/plan", methods=["GET", "POST"])
@allow(SIGNED_IN)
def plan(placement_id: int):
    """The adaptation plan: written by the observer in the placement's last week or once
    completed (ten rows, saved as a whole); read by all who see the placement."""
    placement = load_or_404(Placement, placement_id, VIEW)
    today = days.host_today(placement)
    form = _plan_form(placement)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                outcomes.save_plan(current_user, placement, _rows(form), today)
            except (PermissionDenied, ValidationFailed) as error:
                _show_on_row(form, error)
                status = 403 if isinstance(error, PermissionDenied) else 400
            else:
                db.session.commit()
                flash(_("Your adaptation plan is saved."), "success")
                return redirect(url_for("placements.plan", placement_id=placement.id), 303)
    return _plan_page(placement, form, status)


def _plan_page(placement: Placement, form: PlanForm, status: int = 200):
    return render_template(
        "placements/plan.html",
        placement=placement,
        form=form,
        may_write=outcomes.may_write_plan(current_user, placement, days.host_today(placement)),
        may_share=outcomes.may_share_plan(current_user, placement),
        opens_on=outcomes.plan_opens_on(placement),
        is_observer=placement.observer_id == current_user.id,
    ), status


@bp.route("/placements/<int:placement_id>/plan/share", methods=["POST"])
@allow(SIGNED_IN)
def share_plan(placement_id: int):
    """Share the plan with the home coordinators: it is final, and follow-ups are set."""
    placement = load_or_404(Placement, placement_id, VIEW)
    form = FollowUpForm()  # the CSRF token only
    if not form.validate_on_submit():
        abort(400)
    try:
        outcomes.share_plan(current_user, placement)
    except (PermissionDenied, ValidationFailed) as error:
        db.session.rollback()
        flash(str(error), "error")
        status = 403 if isinstance(error, PermissionDenied) else 400
        return _plan_page(placement, _plan_form(placement), status)
    db.session.commit()
    flash(_("Your plan is shared with your coordinator."), "success")
    return redirect(url_for("placements.placement", placement_id=placement.id), 303)


# --- The follow-ups ---------------------------------------------------------------------


@bp.route("/placements/<int:placement_id>/follow-ups/<int:months>", methods=["GET", "POST"])
@allow(SIGNED_IN)
def follow_up(placement_id: int, months: int):
    """Where each change stands at 3 or 6 months: answered by the observer or their
    institution's coordinators (administrators may read it), from the day it is due."""
    if months not in outcomes.FOLLOW_UP_MONTHS:
        abort(404)
    placement = load_or_404(Placement, placement_id, VIEW)
    may_answer = outcomes.may_answer(current_user, placement)
    if not (may_answer or current_user.has_role(Role.ADMIN)):
        raise PermissionDenied(outcomes.ANSWERERS_ONLY)
    follow_up = outcome_queries.follow_ups_of(placement).get(months)
    form, errors, status = FollowUpForm(), {}, 200
    is_open = follow_up is not None and outcomes.is_open(follow_up, days.home_today(placement))
    if follow_up is None or not is_open:
        status = 400 if request.method == "POST" else 200  # the page says when it opens
    elif request.method == "POST":
        if not may_answer:
            raise PermissionDenied(outcomes.ANSWERERS_ONLY)
        status = 400
        if form.validate_on_submit():
            try:
                outcomes.answer_follow_up(
                    current_user, follow_up, _answers(placement), days.home_today(placement)
                )
            except ValidationFailed as error:
                db.session.rollback()
                errors[error.field or ""] = str(error)
            else:
                db.session.commit()
                flash(_("Thank you: the follow-up is saved."), "success")
                return redirect(url_for("placements.placement", placement_id=placement.id), 303)
    return render_template(
        "placements/follow_up.html",
        placement=placement,
        months=months,
        follow_up=follow_up,
        is_open=is_open,
        may_answer=may_answer,
        form=form,
        errors=errors,
        given=_given(placement, follow_up),
        statuses=[(status.value, CHANGE_STATUS_LABELS[status]) for status in ChangeStatus],
    ), status


def _answers(placement: Placement) -> dict[int, outcomes.Answer]:
    return {
        change.id: outcomes.Answer(
            request.form.get(f"status-{change.id}"), request.form.get(f"note-{change.id}", "")
        )
        for change in placement.changes
    }


def _given(placement: Placement, follow_up) -> dict[int, tuple[str, str]]:
    """What the form shows per change: what was just typed, else the answers on record."""
    if request.method == "POST":
        return {cid: (a.status or "", a.note or "") for cid, a in _answers(placement).items()}
    if follow_up is None:
        return {}
    return {a.change_id: (a.status.value, a.note or "") for a in follow_up.answers}
