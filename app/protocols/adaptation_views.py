"""Adapting a protocol: a published version becomes the first draft of a new protocol
for another programme or institution; its authors say why sections differ."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.policies import PROTOCOL_WRITERS, SIGNED_IN, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.institutions.queries import list_programmes
from app.protocols import adaptation, bp, queries
from app.protocols.access import EDIT
from app.protocols.forms import DifferenceForm, ProtocolForm
from app.protocols.pages import (
    draft_page,
    draft_step,
    emails,
    load_draft,
    load_protocol,
    load_published,
)


@bp.route("/protocols/<slug>/v/<int:number>/adapt", methods=["GET", "POST"])
@allow(PROTOCOL_WRITERS)
def adapt(slug: str, number: int):
    """A new protocol from this version: its draft starts as a copy."""
    source = load_protocol(slug)
    version = load_published(source, number)
    programmes = [
        p
        for p in list_programmes()
        if current_user.has_role(Role.ADMIN)
        or current_user.institution_id in {i.id for i in p.institutions}
    ]
    form = ProtocolForm()
    form.programme.choices = [(p.id, p.name) for p in programmes]
    if not form.is_submitted():
        form.title.data, form.scope.data = version.title, version.scope
        form.review_by.data = version.review_by
    elif form.validate():
        try:
            programme = next((p for p in programmes if p.id == form.programme.data), None)
            if programme is None:
                raise ValidationFailed(_("Choose a programme."), "programme")
            authors = []
            for address in emails(form.authors.data):
                person = queries.user_by_email(address)
                if person is None:
                    raise ValidationFailed(
                        _("No account has the address %(email)s.", email=address), "authors"
                    )
                authors.append(person)
            details = adaptation.ProtocolDetails(
                form.title.data, programme, form.review_by.data, form.scope.data or "", authors
            )
            created = adaptation.adapt(current_user, version, details)
        except ValidationFailed as error:
            show_on_form(form, error, "title")
        else:
            db.session.commit()
            flash(_("The adaptation is created: change what differs and say why."), "success")
            return redirect(url_for("protocols.draft", slug=created.slug), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("protocols/new.html", form=form, adapting=version, source=source), status


@bp.route("/protocols/<slug>/draft/sections/<section>/difference", methods=["POST"])
@allow(SIGNED_IN)
def record_difference(slug: str, section: str):
    """Why this section of an adaptation differs from its source (empty: it does not)."""
    protocol, version = load_draft(slug, EDIT)
    form = DifferenceForm()
    if not form.validate_on_submit():
        return draft_page(protocol, version, _("The form expired: try again."), 400)
    return draft_step(
        protocol,
        version,
        lambda: adaptation.record_difference(current_user, version, section, form.reason.data),
        _("The reason is saved."),
    )
