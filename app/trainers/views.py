"""The trainer pathway: certified trainers, signing off teaching practice, revocation,
and the cascade page."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import services as auth_services
from app.auth.models import Role, User
from app.auth.permissions import REVOKE, load_or_404
from app.auth.policies import ADMIN, CASCADE_VIEWERS, COHORT_STAFF, allow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.institutions import queries as institution_queries
from app.trainers import access as certification_rule
from app.trainers import bp, certification
from app.trainers import queries as trainer_queries
from app.trainers.cascade import Scope, compute_cascade
from app.trainers.forms import CertifyForm, MasterTrainerForm, RevokeForm
from app.trainers.models import TrainerCertification


@bp.route("/trainers/")
@allow(COHORT_STAFF)
def trainers():
    """Certified trainers one may see, and trainees waiting for a teaching sign-off."""
    mine = trainer_queries.current_certification(current_user.id)
    return render_template(
        "trainers/trainers.html",
        certifications=trainer_queries.list_certifications_for(current_user),
        ready=trainer_queries.trainees_ready(current_user),
        mine=mine,
        master_form=MasterTrainerForm() if current_user.has_role(Role.ADMIN) else None,
        can_revoke=lambda record: certification_rule.can(
            current_user, REVOKE, record, certified=bool(mine and mine.active)
        ),
    )


@bp.route("/trainers/certify/<int:user_id>", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def certify(user_id: int):
    """Sign off a trainee's teaching practice: they become a certified trainer."""
    trainee = db.session.get(User, user_id) or abort(404)
    if trainee.id not in {
        user.id for user, _course in trainer_queries.trainees_ready(current_user)
    }:
        abort(404)
    form = CertifyForm()
    if form.validate_on_submit():
        try:
            certification.certify_trainer(
                current_user, trainee, form.observed_on.data, form.notes.data or ""
            )
        except (PermissionDenied, ValidationFailed) as error:
            show_on_form(form, error, "notes")
        else:
            db.session.commit()
            flash(_("%(name)s is now a certified trainer.", name=trainee.name), "success")
            return redirect(url_for("trainers.trainers"))
    status = 400 if form.errors else 200
    course = trainer_queries.completed_trainer_track(trainee.id)
    return render_template(
        "trainers/certify.html", trainee=trainee, course=course, form=form
    ), status


@bp.route("/trainers/master", methods=["POST"])
@allow(ADMIN)
def certify_master():
    """Certify a master trainer (generation 0)."""
    form = MasterTrainerForm()
    user = auth_services.get_user_by_email(form.email.data or "") if form.validate() else None
    if user is None:
        flash(_("No account has this e-mail address."), "error")
        return redirect(url_for("trainers.trainers"), 303)
    try:
        certification.certify_master_trainer(current_user, user, form.notes.data or "")
    except ValidationFailed as error:
        flash(str(error), "error")
        return redirect(url_for("trainers.trainers"), 303)
    db.session.commit()
    flash(_("%(name)s is now a master trainer.", name=user.name), "success")
    return redirect(url_for("trainers.trainers"), 303)


@bp.route("/trainers/certifications/<int:certification_id>/revoke", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def revoke(certification_id: int):
    """Revoke a certification, with a reason."""
    record = load_or_404(TrainerCertification, certification_id, REVOKE)
    form = RevokeForm()
    if form.validate_on_submit():
        certification.revoke_certification(current_user, record, form.reason.data)
        db.session.commit()
        flash(_("The certification of %(name)s was revoked.", name=record.user.name), "info")
        return redirect(url_for("trainers.trainers"))
    status = 400 if form.errors else 200
    return render_template("trainers/revoke.html", record=record, form=form), status


def _scope_from(args, programmes) -> Scope | None:
    """The cascade asked for, within what the viewer may see (None: nothing to show)."""

    def number(name):
        value = args.get(name, "")
        return int(value) if value.isdigit() else None

    allowed = [programme.id for programme in programmes]
    programme_id = number("programme")
    if programme_id is not None and programme_id not in allowed:
        abort(404)
    if programme_id is None and not current_user.has_role(Role.ADMIN):
        if not allowed:
            return None
        programme_id = allowed[0]  # only administrators see every programme at once
    institution_id = number("institution")
    if institution_id is not None:  # within the programme's institutions, else unknown
        within = (
            {i.id for p in programmes if p.id == programme_id for i in p.institutions}
            if programme_id is not None
            else {i.id for i in institution_queries.list_institutions()}  # administrators
        )
        if institution_id not in within:
            abort(404)
    country = (args.get("country") or "").upper()[:2] or None
    return Scope(programme_id, institution_id, country)


def _institutions_offered(programmes) -> list:
    """The institution filter's choices: every one for administrators, else only those
    of the programmes the viewer may see (no other institution is named)."""
    if current_user.has_role(Role.ADMIN):
        return institution_queries.list_institutions()
    found = {i.id: i for programme in programmes for i in programme.institutions}
    return sorted(found.values(), key=lambda institution: institution.name)


@bp.route("/cascade")
@allow(CASCADE_VIEWERS)
def cascade():
    """How many people the programme reached, generation by generation, and who trained
    whom. Funders see the counts only, never a name; revocation reasons are for admins."""
    programmes = trainer_queries.visible_programmes(current_user)
    scope = _scope_from(request.args, programmes)
    return render_template(
        "trainers/cascade.html",
        result=compute_cascade(scope) if scope else None,
        scope=scope or Scope(),
        programmes=programmes,
        institutions=_institutions_offered(programmes),
        show_names=current_user.has_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR),
        show_reasons=current_user.has_role(Role.ADMIN),
    )
