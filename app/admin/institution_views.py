"""Institution and programme pages: administrators manage them, coordinators see their
institution and its people, funders their programme. Their own blueprint keeps the
endpoint names ``institutions.*``; the data and its rules are in ``app/institutions/``
(below auth), these pages above it."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.admin.institution_forms import InstitutionForm, ProgrammeForm
from app.auth.permissions import MANAGE, VIEW, load_or_404
from app.auth.policies import ADMIN, COORDINATORS, FUNDERS, allow
from app.auth.queries import list_members
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.institutions import queries, services
from app.institutions.models import Institution, Programme

bp = Blueprint("institutions", __name__)


@bp.route("/admin/institutions")
@allow(ADMIN)
def list_institutions():
    """All institutions, for administrators."""
    return render_template("institutions/list.html", institutions=queries.list_institutions())


@bp.route("/admin/institutions/new", methods=["GET", "POST"])
@bp.route("/admin/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@allow(ADMIN)
def edit_institution(institution_id: int | None = None):
    """Create or edit an institution."""
    institution = None
    if institution_id is not None:
        institution = load_or_404(Institution, institution_id, MANAGE)
    form = InstitutionForm(obj=institution)
    if form.validate_on_submit():
        try:
            services.save_institution(
                institution,
                form.name.data,
                form.country.data,
                form.city.data,
                form.timezone.data,
                form.default_locale.data,
            )
        except ValidationFailed as error:
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("The institution has been saved."), "success")
            return redirect(url_for("institutions.list_institutions"))
    status = 400 if form.errors else 200
    return render_template("institutions/edit.html", form=form, institution=institution), status


@bp.route("/institutions/<int:institution_id>")
@allow(COORDINATORS)
def show_institution(institution_id: int):
    """An institution and its people, for its coordinators and administrators."""
    institution = load_or_404(Institution, institution_id, VIEW)
    members = list_members(institution.id)
    return render_template("institutions/show.html", institution=institution, members=members)


@bp.route("/admin/programmes")
@allow(ADMIN)
def list_programmes():
    """All programmes, for administrators."""
    return render_template("institutions/programmes.html", programmes=queries.list_programmes())


@bp.route("/admin/programmes/new", methods=["GET", "POST"])
@bp.route("/admin/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@allow(ADMIN)
def edit_programme(programme_id: int | None = None):
    """Create or edit a programme and choose its institutions."""
    programme = None
    if programme_id is not None:
        programme = load_or_404(Programme, programme_id, MANAGE)
    form = ProgrammeForm(obj=programme)
    form.institutions.choices = [(i.id, i.name) for i in queries.list_institutions()]
    if programme is not None and not form.is_submitted():
        form.institutions.data = [i.id for i in programme.institutions]
    if form.validate_on_submit():
        try:
            services.save_programme(
                programme,
                form.name.data,
                form.funding_organisation.data,
                form.target_trainees.data,
                form.starts_on.data,
                form.ends_on.data,
                form.institutions.data,
            )
        except ValidationFailed as error:
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("The programme has been saved."), "success")
            return redirect(url_for("institutions.list_programmes"))
    status = 400 if form.errors else 200
    return render_template(
        "institutions/edit_programme.html", form=form, programme=programme
    ), status


@bp.route("/programmes/<int:programme_id>")
@allow(FUNDERS)
def show_programme(programme_id: int):
    """A programme's target, dates and institutions (no personal data), for its funders."""
    programme = load_or_404(Programme, programme_id, VIEW)
    return render_template("institutions/programme.html", programme=programme)
