"""Cohort pages: the list, creating and editing, the trainer's matrix, the member's view,
joining by code, and co-trainers. Rosters and reminders are in ``roster_views``."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.auth import services as auth_services
from app.auth.models import PROFESSION_LABELS
from app.auth.permissions import MANAGE, SEE_MEMBERS, VIEW, can, load_or_404
from app.auth.policies import COHORT_STAFF, SIGNED_IN, allow
from app.cohorts import bp, queries, services
from app.cohorts.forms import CohortForm, JoinCodeForm, TrainerForm
from app.cohorts.matrix import STATUSES, build_matrix
from app.cohorts.matrix_pages import PAGE_SIZE, filter_query, matrix_filters, page_of
from app.cohorts.models import Cohort
from app.cohorts.roster import roster_reference
from app.courses import queries as course_queries
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db, limiter, per_user
from app.forms import show_on_form
from app.locales import language_choices
from app.notifications.queries import count_by_status, list_failed, statuses_by_reference


@bp.route("/cohorts/")
@allow(SIGNED_IN)
def list_cohorts():
    """Cohorts one runs (trainers, coordinators, admins) and cohorts one belongs to."""
    return render_template(
        "cohorts/list.html",
        running=queries.list_cohorts_run_by(current_user),
        member_of=queries.list_cohorts_of_member(current_user),
        form=JoinCodeForm(),
    )


def _cohort_form(cohort: Cohort | None = None) -> CohortForm:
    form = CohortForm(obj=cohort)
    form.institution.choices = [(i.id, i.name) for i in queries.cohort_institutions(current_user)]
    locale = str(get_locale())
    form.courses.choices = [(c.id, c.title(locale)) for c in course_queries.list_courses()]
    form.locale.choices = language_choices()
    if request.method == "GET" and cohort is not None:
        form.institution.data = cohort.institution_id
        form.courses.data = [course.id for course in cohort.courses]
    return form


def _details(form: CohortForm) -> services.CohortDetails:
    courses = {c.id: c for c in course_queries.list_courses()}
    institutions = {i.id: i for i in queries.cohort_institutions(current_user)}
    return services.CohortDetails(
        name=form.name.data,
        institution=institutions[form.institution.data],
        courses=[courses[i] for i in form.courses.data if i in courses],
        locale=form.locale.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        capacity=form.capacity.data,
        members_visible=form.members_visible.data,
        inactive_days=form.inactive_days.data,
    )


def _save(form: CohortForm, cohort: Cohort | None):
    """Create or update from a valid form; the cohort, or None with the error on the form."""
    try:
        if cohort is None:
            cohort = services.create_cohort(current_user, _details(form))
        else:
            services.update_cohort(current_user, cohort, _details(form))
    except (PermissionDenied, ValidationFailed) as error:
        show_on_form(form, error, "name")
        return None
    db.session.commit()
    return cohort


@bp.route("/cohorts/new", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def new_cohort():
    """Create a cohort: name, institution, courses, language, dates, capacity."""
    form = _cohort_form()
    if not form.institution.choices:
        abort(403)
    if form.validate_on_submit() and (cohort := _save(form, None)):
        flash(_("Cohort “%(name)s” created.", name=cohort.name), "success")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
    status = 400 if form.errors else 200
    return render_template("cohorts/edit.html", form=form, cohort=None), status


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@allow(COHORT_STAFF)
def edit_cohort(cohort_id: int):
    """Change a cohort's details."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    form = _cohort_form(cohort)
    if form.validate_on_submit() and _save(form, cohort):
        flash(_("Cohort saved."), "success")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
    status = 400 if form.errors else 200
    return render_template("cohorts/edit.html", form=form, cohort=cohort), status


@bp.route("/cohorts/<int:cohort_id>")
@allow(SIGNED_IN)
def cohort(cohort_id: int):
    """Its trainers see the roster and progress matrix; members see the cohort."""
    cohort = load_or_404(Cohort, cohort_id, VIEW)
    if can(current_user, MANAGE, cohort):
        return _staff_page(cohort)
    members = queries.list_member_names(cohort) if can(current_user, SEE_MEMBERS, cohort) else None
    return render_template(
        "cohorts/member.html", cohort=cohort, members=members, workshops=cohort.workshops
    )


def _staff_page(cohort: Cohort):
    filters = matrix_filters(request.args)
    matrix = build_matrix(cohort, utcnow())
    invitations = queries.list_open_invitations(cohort)
    reminders = queries.list_reminders(cohort, limit=20)
    return render_template(
        "cohorts/cohort.html",
        cohort=cohort,
        matrix=matrix,
        page=page_of(matrix.chosen(filters), filters["page"], PAGE_SIZE),
        filters=filters,
        filter_query=filter_query(filters),
        page_size=PAGE_SIZE,
        statuses=STATUSES,
        status_counts=matrix.status_counts(),
        invitations=invitations,
        reminders=reminders,
        undoable=queries.latest_undoable_removal(
            cohort, current_user, utcnow() - services.UNDO_WINDOW
        ),
        undo_window=services.UNDO_WINDOW,
        **_mail_statuses(cohort, reminders, invitations),
        workshops=cohort.workshops,
        trainer_form=TrainerForm(),
        cell_html=CELL_HTML,
        professions={key: str(label) for key, label in PROFESSION_LABELS.items()},
        join_link=url_for("cohorts.join_link", join_code=cohort.join_code, _external=True),
    )


# The matrix's cells: the state is the class alone. The stylesheet draws its mark, and
# the words for screen readers come from ``cohorts.matrix_words`` (one small cached
# stylesheet per language): a 500-learner matrix no longer repeats them in every cell.
CELL_HTML = [Markup(f'<td class="c{state}"></td>') for state in range(3)]


def _mail_statuses(cohort: Cohort, reminders, invitations) -> dict:
    """How the cohort's e-mails fared: reminders, invitations and the roster's."""
    return {
        "mail_statuses": statuses_by_reference(
            [f"reminder:{r.id}" for r in reminders] + [f"invitation:{i.id}" for i in invitations]
        ),
        "roster_mail": count_by_status(roster_reference(cohort)),
        "roster_failures": list_failed(roster_reference(cohort)),
    }


@bp.route("/cohorts/<int:cohort_id>/trainers", methods=["POST"])
@allow(COHORT_STAFF)
def add_trainer(cohort_id: int):
    """Add a co-trainer by e-mail address."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    form = TrainerForm()
    trainer = auth_services.get_user_by_email(form.email.data or "") if form.validate() else None
    try:
        services.add_trainer(current_user, cohort, trainer)
    except ValidationFailed as error:
        flash(str(error), "error")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
    db.session.commit()
    flash(_("%(name)s now trains this cohort.", name=trainer.name), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/trainers/<int:user_id>/remove", methods=["POST"])
@allow(COHORT_STAFF)
def remove_trainer(cohort_id: int, user_id: int):
    """Remove a co-trainer."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    services.remove_trainer(current_user, cohort, user_id)
    db.session.commit()
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/members/remove", methods=["POST"])
@allow(COHORT_STAFF)
def remove_members(cohort_id: int):
    """Take the selected learners out of the cohort (their progress stays theirs), once
    confirmed: the matrix's button shows who would be removed, and that page's button
    removes them; the cohort page then offers to undo it for a while."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    learner_ids = [int(v) for v in request.form.getlist("learner") if v.isdigit()]
    if request.form.get("confirmed") != "1":
        learners = queries.members_among(cohort, learner_ids)
        if not learners:
            flash(_("Choose the learners to remove."), "error")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort.id, _anchor="progress"), 303)
        return render_template(
            "cohorts/remove.html",
            cohort=cohort,
            learners=learners,
            undo_minutes=services.UNDO_WINDOW.seconds // 60,
        )
    removal = services.remove_members(current_user, cohort, learner_ids)
    db.session.commit()
    removed = len(removal.members) if removal else 0
    flash(
        ngettext(
            "%(num)d learner removed from the cohort.",
            "%(num)d learners removed from the cohort.",
            removed,
        ),
        "info",
    )
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)


@bp.route("/cohorts/<int:cohort_id>/members/undo", methods=["POST"])
@allow(COHORT_STAFF)
def undo_removal(cohort_id: int):
    """Put back the learners one has just removed (see ``services.undo_removal``)."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    removal_id = request.form.get("removal", "")
    removal = queries.removal_in(cohort, int(removal_id)) if removal_id.isdigit() else None
    if removal is None:
        flash(_("There is no removal to undo in this cohort."), "error")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    try:
        back = services.undo_removal(current_user, cohort, removal)
    except ValidationFailed as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d learner is back in the cohort, with their progress.",
            "%(num)d learners are back in the cohort, with their progress.",
            len(back),
        ),
        "success",
    )
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)


@bp.route("/cohorts/<int:cohort_id>/code", methods=["POST"])
@allow(COHORT_STAFF)
def renew_code(cohort_id: int):
    """Issue a new join code; the old code and link stop working."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    services.renew_join_code(current_user, cohort)
    db.session.commit()
    flash(_("New join code: %(code)s", code=cohort.join_code), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/join", methods=["POST"])
@allow(SIGNED_IN)
@limiter.limit(lambda: current_app.config["JOIN_RATE_LIMIT"], key_func=per_user)
def join():
    """Join a cohort with its code."""
    form = JoinCodeForm()
    cohort = services.find_cohort_by_code(form.code.data or "") if form.validate() else None
    if cohort is None:
        flash(_("No cohort has this code. Check it with your trainer."), "error")
        return redirect(url_for("cohorts.list_cohorts")), 303
    try:
        added = services.join_cohort(current_user, cohort)
    except ValidationFailed as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("cohorts.list_cohorts")), 303
    db.session.commit()
    if added:
        flash(_("Welcome to the cohort “%(name)s”.", name=cohort.name), "success")
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/join/<join_code>")
@allow(SIGNED_IN)
def join_link(join_code: str):
    """A join link: shows the cohort and asks to confirm (a GET never changes anything)."""
    cohort = services.find_cohort_by_code(join_code)
    if cohort is None:
        flash(_("This join link is no longer valid. Ask your trainer for a new one."), "error")
        return redirect(url_for("cohorts.list_cohorts"))
    form = JoinCodeForm(code=cohort.join_code)
    return render_template("cohorts/join.html", cohort=cohort, form=form)
