"""Writing a protocol: a new one, the draft's page, its details and its sections."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.models import Role, User
from app.auth.policies import PROTOCOL_WRITERS, SIGNED_IN, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.institutions.queries import list_programmes
from app.protocols import bp, queries, services
from app.protocols.access import EDIT
from app.protocols.forms import DetailsForm, ProtocolForm, SectionForm
from app.protocols.pages import draft_page, draft_step, emails, load_draft


def programme_choices(user: User) -> list[tuple[int, str]]:
    """The programmes ``user`` may write for (their institution's; all for admins)."""
    mine = [
        p
        for p in list_programmes()
        if user.has_role(Role.ADMIN) or user.institution_id in {i.id for i in p.institutions}
    ]
    return [(p.id, p.name) for p in mine]


def people_named(text: str, field_label) -> list[User]:
    """The users with these e-mail addresses, or ValidationFailed naming the unknown."""
    people = []
    for address in emails(text):
        person = queries.user_by_email(address)
        if person is None:
            raise ValidationFailed(
                _(
                    "%(field)s: no account has the address %(email)s.",
                    field=field_label,
                    email=address,
                ),  # fmt: skip
                "authors",
            )
        people.append(person)
    return people


@bp.route("/protocols/new", methods=["GET", "POST"])
@allow(PROTOCOL_WRITERS)
def new_protocol():
    form = ProtocolForm()
    form.programme.choices = programme_choices(current_user)
    if form.validate_on_submit():
        try:
            programme = next(p for p in list_programmes() if p.id == form.programme.data)
            details = services.ProtocolDetails(
                form.title.data,
                programme,
                form.review_by.data,
                form.scope.data or "",
                people_named(form.authors.data, _("Other authors")),
            )
            created = services.create_protocol(current_user, details)
        except (ValidationFailed, StopIteration) as error:
            if isinstance(error, StopIteration):
                error = ValidationFailed(_("Choose a programme."), "programme")
            show_on_form(form, error, "title")
        else:
            db.session.commit()
            flash(_("The protocol is created: write its sections."), "success")
            return redirect(url_for("protocols.draft", slug=created.slug), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("protocols/new.html", form=form, adapting=None), status


@bp.route("/protocols/<slug>/draft")
@allow(SIGNED_IN)
def draft(slug: str):
    """The draft with its review: sections, comments, proposals, who reviewed what."""
    protocol, version = load_draft(slug)
    return draft_page(protocol, version)


@bp.route("/protocols/<slug>/draft/details", methods=["POST"])
@allow(SIGNED_IN)
def edit_details(slug: str):
    protocol, version = load_draft(slug, EDIT)
    form = DetailsForm()
    if form.validate_on_submit():
        try:
            services.update_details(
                current_user, version, form.title.data, form.scope.data or "", form.review_by.data
            )
        except ValidationFailed as error:
            show_on_form(form, error, "title")
        else:
            db.session.commit()
            flash(_("The details are saved."), "success")
            return redirect(url_for("protocols.draft", slug=slug), 303)
    return draft_page(protocol, version, None, 400, details_form=form)


def _section_page(protocol, version, form, section=None, status=200):
    return render_template(
        "protocols/section_form.html",
        protocol=protocol,
        draft=version,
        form=form,
        section=section,
    ), status


@bp.route("/protocols/<slug>/draft/sections/new", methods=["GET", "POST"])
@allow(SIGNED_IN)
def new_section(slug: str):
    protocol, version = load_draft(slug, EDIT)
    form = SectionForm()
    if not form.is_submitted():
        return _section_page(protocol, version, form)
    if form.validate():
        try:
            services.add_section(current_user, version, form.heading.data, form.body.data or "")
        except ValidationFailed as error:
            show_on_form(form, error, "body")
        else:
            db.session.commit()
            flash(_("The section is added."), "success")
            return redirect(url_for("protocols.draft", slug=slug), 303)
    return _section_page(protocol, version, form, status=400)


@bp.route("/protocols/<slug>/draft/sections/<section>", methods=["GET", "POST"])
@allow(SIGNED_IN)
def edit_section(slug: str, section: str):
    protocol, version = load_draft(slug, EDIT)
    try:
        row = services.section_of(version, section)
    except ValidationFailed:
        return _section_page(protocol, version, SectionForm(), status=404)
    form = SectionForm() if FlaskForm().is_submitted() else SectionForm(obj=row)
    if not form.is_submitted():
        return _section_page(protocol, version, form, row)
    if form.validate():
        try:
            services.edit_section(
                current_user, version, section, form.heading.data, form.body.data or ""
            )
        except ValidationFailed as error:
            show_on_form(form, error, "body")
        else:
            db.session.commit()
            flash(_("The section is saved."), "success")
            return redirect(url_for("protocols.draft", slug=slug, _anchor=f"s-{section}"), 303)
    return _section_page(protocol, version, form, row, 400)


@bp.route("/protocols/<slug>/draft/sections/<section>/move", methods=["POST"])
@allow(SIGNED_IN)
def move_section(slug: str, section: str):
    """Up or down one place (the button's ``direction``)."""
    protocol, version = load_draft(slug, EDIT)
    return draft_step(
        protocol,
        version,
        lambda: services.move_section(
            current_user, version, section, -1 if request.form.get("direction") == "up" else 1
        ),
        _("The sections are reordered."),
    )


@bp.route("/protocols/<slug>/draft/sections/<section>/remove", methods=["POST"])
@allow(SIGNED_IN)
def remove_section(slug: str, section: str):
    protocol, version = load_draft(slug, EDIT)
    return draft_step(
        protocol,
        version,
        lambda: services.remove_section(current_user, version, section),
        _("The section is removed."),
    )
