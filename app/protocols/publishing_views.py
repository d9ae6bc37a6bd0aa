"""Running a draft's review: naming reviewers and authors, the approvals the protocol
requires, publishing, and starting the next draft."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.policies import SIGNED_IN, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.institutions.models import Institution
from app.protocols import bp, publishing, queries, review, services
from app.protocols.access import EDIT
from app.protocols.forms import AuthorForm, PublishForm, RequirementForm, ReviewerForm
from app.protocols.models import ApprovalRequirement, ProtocolReviewer
from app.protocols.pages import draft_page, draft_step, load_draft, load_protocol


def _person(form):
    person = queries.user_by_email(form.email.data or "")
    if person is None:
        raise ValidationFailed(
            _("No account has the address %(email)s.", email=form.email.data), "email"
        )
    return person


@bp.route("/protocols/<slug>/draft/reviewers", methods=["POST"])
@allow(SIGNED_IN)
def add_reviewer(slug: str):
    protocol, version = load_draft(slug, EDIT)
    form = ReviewerForm()
    if form.validate_on_submit():
        try:
            review.add_reviewer(current_user, version, _person(form))
        except ValidationFailed as error:
            show_on_form(form, error, "email")
        else:
            db.session.commit()
            flash(_("The reviewer is named and told."), "success")
            return redirect(url_for("protocols.draft", slug=slug, _anchor="reviewers"), 303)
    return draft_page(protocol, version, None, 400, person_form=form)


@bp.route("/protocols/<slug>/draft/reviewers/<int:reviewer_id>/remove", methods=["POST"])
@allow(SIGNED_IN)
def remove_reviewer(slug: str, reviewer_id: int):
    protocol, version = load_draft(slug, EDIT)
    row = db.session.get(ProtocolReviewer, reviewer_id)
    if row is None or row.version_id != version.id:
        abort(404)
    return draft_step(
        protocol,
        version,
        lambda: review.remove_reviewer(current_user, version, row),
        _("The reviewer no longer reviews this draft."),
    )


@bp.route("/protocols/<slug>/authors", methods=["POST"])
@allow(SIGNED_IN)
def add_author(slug: str):
    protocol, version = load_draft(slug, EDIT)
    form = AuthorForm(prefix="a")
    if form.validate_on_submit():
        try:
            services.add_author(current_user, protocol, _person(form))
        except ValidationFailed as error:
            show_on_form(form, error, "email")
        else:
            db.session.commit()
            flash(_("The author is added."), "success")
            return redirect(url_for("protocols.draft", slug=slug), 303)
    return draft_page(protocol, version, None, 400, author_form=form)


@bp.route("/protocols/<slug>/requirements", methods=["POST"])
@allow(SIGNED_IN)
def add_requirement(slug: str):
    protocol, version = load_draft(slug, EDIT)
    form = RequirementForm()
    form.institution.choices = [(0, "—")] + [
        (i.id, i.name) for i in protocol.programme.institutions
    ]
    if form.validate_on_submit():
        institution = db.session.get(Institution, form.institution.data or 0)
        try:
            publishing.add_requirement(
                current_user, protocol, form.country.data, institution, form.count.data
            )
        except ValidationFailed as error:
            show_on_form(form, error, "country")
        else:
            db.session.commit()
            flash(_("The approval is required before publishing."), "success")
            return redirect(url_for("protocols.draft", slug=slug, _anchor="approvals"), 303)
    return draft_page(protocol, version, None, 400, requirement_form=form)


@bp.route("/protocols/<slug>/requirements/<int:requirement_id>/remove", methods=["POST"])
@allow(SIGNED_IN)
def remove_requirement(slug: str, requirement_id: int):
    protocol, version = load_draft(slug, EDIT)
    row = db.session.get(ApprovalRequirement, requirement_id)
    if row is None or row.protocol_id != protocol.id:
        abort(404)
    return draft_step(
        protocol,
        version,
        lambda: publishing.remove_requirement(current_user, protocol, row),
        _("The requirement is removed."),
    )


@bp.route("/protocols/<slug>/draft/publish", methods=["GET", "POST"])
@allow(SIGNED_IN)
def publish(slug: str):
    """Publish the draft (with its effective date and change log) once approved."""
    protocol, version = load_draft(slug, EDIT)
    form = PublishForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                published = publishing.publish(
                    current_user, version, form.effective_on.data, form.change_log.data or ""
                )
            except ValidationFailed as error:
                show_on_form(form, error, "change_log")
                version = queries.draft_of(protocol)
            else:
                db.session.commit()
                flash(_("Version %(num)d is published.", num=published.number), "success")
                return redirect(
                    url_for("protocols.version", slug=slug, number=published.number), 303
                )
    return render_template(
        "protocols/publish.html",
        protocol=protocol,
        draft=version,
        form=form,
        missing=publishing.missing(version),
        approvals=queries.approvals_of(version),
        number=queries.highest_number(protocol) + 1,
    ), status


@bp.route("/protocols/<slug>/next-draft", methods=["POST"])
@allow(SIGNED_IN)
def next_draft(slug: str):
    """Start the next draft from the latest published version."""
    protocol = load_protocol(slug, EDIT)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        publishing.start_next_draft(current_user, protocol)
    except ValidationFailed as error:
        db.session.rollback()
        return render_template("protocols/refused.html", protocol=protocol, message=error), 409
    db.session.commit()
    flash(_("The next draft is started from the latest version."), "success")
    return redirect(url_for("protocols.draft", slug=slug), 303)
