"""Pages of the learning agreement (objectives agreed by observer and supervisor), of the
mid-point and final assessments, and of the competency list; and the agreement's panel
on the placement page."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.permissions import VIEW, load_or_404
from app.auth.policies import SIGNED_IN, allow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.placements import agreement, agreement_queries, assessment, bp, competencies, days
from app.placements.access import SUPERVISE
from app.placements.agreement_forms import (
    AssessmentForm,
    CompetencyForm,
    ObjectivesForm,
)
from app.placements.models import Placement, Stage
from app.placements.panels import agreed_by, objectives_shown


def _show(form, error) -> str:
    """Undo what the service wrote and put its message on the field it names (a nested
    field's name, e.g. ``objectives-3-text``); the message, for the top of the page too
    (a list of rows keeps its own summary of errors)."""
    db.session.rollback()
    target = form
    try:
        for part in (error.field or "").split("-"):
            target = target[int(part)] if part.isdigit() else target[part]
    except (KeyError, IndexError, ValueError, TypeError):
        target = form
    if target is not form:
        target.errors = [*target.errors, str(error)]
    return str(error)


# --- Objectives -------------------------------------------------------------------------


def _objectives_page(placement, form, message=None, status=200):
    return render_template(
        "placements/objectives.html",
        placement=placement,
        form=form,
        message=message,
        groups=competencies.grouped(),
        objectives=objectives_shown(placement),
        agreed_by=agreed_by(placement),
        may_set=agreement.may_set_objectives(current_user, placement),
        may_agree=agreement.may_agree(current_user, placement),
        may_reopen=agreement.may_reopen(current_user, placement),
    ), status


def _prefilled(placement: Placement) -> ObjectivesForm:
    """The six rows, the objectives as they stand in the first ones."""
    form = ObjectivesForm(formdata=None)
    for row, objective in zip(form.objectives, placement.objectives, strict=False):
        row.competency.data = objective.competency_code or ""
        row.text.data = objective.text or ""
    return form


@bp.route("/placements/<int:placement_id>/objectives", methods=["GET", "POST"])
@allow(SIGNED_IN)
def objectives(placement_id: int):
    """The observer or the supervisor sets three to six objectives (six rows)."""
    placement = load_or_404(Placement, placement_id, VIEW)
    if not agreement.may_write(current_user, placement):
        abort(403)
    form = ObjectivesForm()
    if not form.is_submitted():
        return _objectives_page(placement, _prefilled(placement))
    if not form.validate():
        return _objectives_page(placement, form, status=400)
    rows = [agreement.ObjectiveInput(row.competency.data, row.text.data) for row in form.objectives]
    try:
        agreement.set_objectives(current_user, placement, rows)
    except ValidationFailed as error:
        return _objectives_page(placement, form, _show(form, error), 400)
    db.session.commit()
    if current_user.id == placement.supervisor_id:
        flash(_("Objectives saved: agree them when they are final."), "success")
    else:
        flash(_("Objectives saved: your supervisor is told, and agrees them."), "success")
    return redirect(url_for("placements.placement", placement_id=placement.id), 303)


@bp.route("/placements/<int:placement_id>/objectives/agree", methods=["POST"])
@allow(SIGNED_IN)
def agree_objectives(placement_id: int):
    """The supervisor agrees the objectives as they stand: they are locked."""
    return _agreement_step(
        placement_id, agreement.agree_objectives, _("The objectives are agreed.")
    )


@bp.route("/placements/<int:placement_id>/objectives/reopen", methods=["POST"])
@allow(SIGNED_IN)
def reopen_objectives(placement_id: int):
    """The supervisor reopens agreed objectives (until the mid-point assessment)."""
    return _agreement_step(
        placement_id,
        agreement.reopen_objectives,
        _("The objectives are reopened: they may be changed."),
    )


def _agreement_step(placement_id: int, step, done: str):
    placement = load_or_404(Placement, placement_id, SUPERVISE)
    if not FlaskForm().validate_on_submit():  # the CSRF token
        return _objectives_page(
            placement, _prefilled(placement), _("The form expired: try again."), 400
        )
    try:
        step(current_user, placement)
    except ValidationFailed as error:
        db.session.rollback()
        return _objectives_page(placement, _prefilled(placement), str(error), 400)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("placements.placement", placement_id=placement.id), 303)


# --- Assessments ------------------------------------------------------------------------


def _stage(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        abort(404)


@bp.route("/placements/<int:placement_id>/assessment/<stage>", methods=["GET", "POST"])
@allow(SIGNED_IN)
def assessment_form(placement_id: int, stage: str):
    """The supervisor rates each agreed objective and counts the days present."""
    stage = _stage(stage)
    placement = load_or_404(Placement, placement_id, SUPERVISE)
    today = days.host_today(placement)
    recorded = agreement_queries.list_assessments(placement)
    form = AssessmentForm()
    _fit(form, placement, recorded.get(stage))
    page = {"placement": placement, "stage": stage, "form": form, "recorded": recorded}
    if not form.is_submitted():
        return _assessment_page(page, notice=assessment.blocker(placement, stage, today))
    message = None
    if form.validate():
        try:
            assessment.record_assessment(current_user, placement, stage, _input(form), today)
        except ValidationFailed as error:
            message = _show(form, error)
        else:
            db.session.commit()
            if stage == Stage.FINAL:
                flash(_("Final assessment saved: the placement is completed."), "success")
            else:
                flash(_("Mid-point assessment saved."), "success")
            return redirect(url_for("placements.placement", placement_id=placement.id), 303)
    return _assessment_page(page, message=message, status=400)


def _fit(form: AssessmentForm, placement: Placement, existing) -> None:
    """One rating row per objective; on a first view, what was recorded before."""
    while len(form.ratings) < len(placement.objectives):
        form.ratings.append_entry()
    while len(form.ratings) > len(placement.objectives):
        form.ratings.pop_entry()
    if form.is_submitted() or existing is None:
        return
    levels = {r.objective_id: r for r in existing.ratings}
    for row, objective in zip(form.ratings, placement.objectives, strict=True):
        rating = levels.get(objective.id)
        if rating is not None:
            row.level.data, row.comment.data = str(rating.level), rating.comment or ""
    form.days_present.data = existing.days_present
    form.comment.data = existing.comment or ""


def _input(form: AssessmentForm) -> assessment.AssessmentInput:
    def level(value):
        return int(value) if value and str(value).isdigit() else None

    return assessment.AssessmentInput(
        days_present=form.days_present.data,
        ratings=[
            assessment.RatingInput(level(row.level.data), row.comment.data or "")
            for row in form.ratings
        ],
        comment=form.comment.data or "",
    )


def _assessment_page(page: dict, message=None, notice=None, status=200):
    placement, stage, form = page["placement"], page["stage"], page["form"]
    today = days.host_today(placement)
    most = assessment.most_days(placement, stage, today)
    form.days_present.description = _("From 0 to %(num)d.", num=most)
    form.days_present.render_kw = {"min": 0, "max": most, "inputmode": "numeric"}
    mid = page["recorded"].get(Stage.MID) if stage == Stage.FINAL else None
    return render_template(
        "placements/assessment.html",
        **page,
        message=message,
        notice=notice,
        open=assessment.blocker(placement, stage, today) is None,
        objectives=objectives_shown(placement),
        mid_levels={r.objective_id: r.level for r in mid.ratings} if mid else {},
        scale=assessment.ENTRUSTMENT,
        scale_help=assessment.SCALE_HELP,
        label=assessment.STAGE_LABELS[stage],
    ), status


# --- The competency list ----------------------------------------------------------------


@bp.route("/placements/competencies", methods=["GET", "POST"])
@allow(SIGNED_IN)
def competency_list():
    """The competencies objectives are picked from; administrators and host coordinators
    add their own."""
    may_add = competencies.may_extend(current_user)
    form = CompetencyForm()
    form.domain.choices = [(code, str(title)) for code, title in competencies.DOMAINS.items()]
    status = 200
    if form.is_submitted():
        if not may_add:
            raise PermissionDenied(
                _("Only administrators and the coordinators of host institutions add competencies.")
            )
        status = 400
        if form.validate():
            try:
                competencies.add_competency(current_user, form.domain.data, form.title.data)
            except ValidationFailed as error:
                _show(form, error)
            else:
                db.session.commit()
                flash(_("Competency added to the list."), "success")
                return redirect(url_for("placements.competency_list"), 303)
    return render_template(
        "placements/competencies.html",
        form=form if may_add else None,
        groups=competencies.grouped(),
    ), status
