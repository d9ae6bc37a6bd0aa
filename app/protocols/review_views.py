"""Reviewing a draft: comments per section, proposed changes (and the authors' accepting
or rejecting them), per-section review marks and approval."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import VIEW
from app.auth.policies import SIGNED_IN, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.protocols import bp, review, services
from app.protocols.access import EDIT, REVIEW
from app.protocols.forms import CommentForm, NoteForm, ProposalForm
from app.protocols.models import ProtocolProposal
from app.protocols.pages import draft_page, draft_step, load_draft


@bp.route("/protocols/<slug>/draft/sections/<section>/comments", methods=["POST"])
@allow(SIGNED_IN)
def comment(slug: str, section: str):
    """A comment on a section (its authors and reviewers; the service refuses others)."""
    protocol, version = load_draft(slug, VIEW)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            review.comment(current_user, version, section, form.body.data)
        except ValidationFailed as error:
            show_on_form(form, error, "body")
        else:
            db.session.commit()
            flash(_("Your comment is added."), "success")
            return redirect(url_for("protocols.draft", slug=slug, _anchor=f"s-{section}"), 303)
    message = (
        _("%(field)s: %(error)s", field=form.body.label.text, error=form.body.errors[0])
        if form.body.errors
        else _("The form expired: try again.")
    )
    return draft_page(protocol, version, message, 400)


@bp.route("/protocols/<slug>/draft/sections/<section>/propose", methods=["GET", "POST"])
@allow(SIGNED_IN)
def propose(slug: str, section: str):
    """A reviewer proposes a new text for a section, against the text they opened."""
    protocol, version = load_draft(slug, REVIEW)
    try:
        row = services.section_of(version, section)
    except ValidationFailed:
        abort(404)
    form = ProposalForm()
    status = 200
    if not form.is_submitted():
        form.base_body.data, form.body.data = row.body, row.body
    else:
        status = 400
        if form.validate():
            try:
                review.propose(current_user, version, section, form.base_body.data or "",
                               form.body.data or "", form.reason.data or "")  # fmt: skip
            except review.StaleProposal as error:
                show_on_form(form, error, "body")
                status = 409
            except ValidationFailed as error:
                show_on_form(form, error, "body")
            else:
                db.session.commit()
                flash(_("Your proposal is sent to the authors."), "success")
                return redirect(url_for("protocols.draft", slug=slug, _anchor=f"s-{section}"), 303)
    return render_template(
        "protocols/propose.html", protocol=protocol, draft=version, section=row, form=form
    ), status


@bp.route("/protocols/<slug>/draft/sections/<section>/reviewed", methods=["POST"])
@allow(SIGNED_IN)
def mark_reviewed(slug: str, section: str):
    protocol, version = load_draft(slug, REVIEW)
    return draft_step(
        protocol,
        version,
        lambda: review.mark_reviewed(current_user, version, section),
        _("Marked as reviewed."),
    )


@bp.route("/protocols/<slug>/draft/approve", methods=["POST"])
@allow(SIGNED_IN)
def approve(slug: str):
    protocol, version = load_draft(slug, REVIEW)
    return draft_step(
        protocol,
        version,
        lambda: review.approve(current_user, version),
        _("You approved this draft as it stands."),
    )


def _proposal(version, proposal_id: int) -> ProtocolProposal:
    proposal = db.session.get(ProtocolProposal, proposal_id)
    if proposal is None or proposal.version_id != version.id:
        abort(404)
    return proposal


@bp.route("/protocols/<slug>/draft/proposals/<int:proposal_id>/accept", methods=["POST"])
@allow(SIGNED_IN)
def accept_proposal(slug: str, proposal_id: int):
    protocol, version = load_draft(slug, EDIT)
    proposal = _proposal(version, proposal_id)
    return draft_step(
        protocol,
        version,
        lambda: review.accept_proposal(current_user, version, proposal),
        _("The proposal is accepted: the section has its text."),
        stale=(review.StaleProposal,),
    )


@bp.route("/protocols/<slug>/draft/proposals/<int:proposal_id>/reject", methods=["POST"])
@allow(SIGNED_IN)
def reject_proposal(slug: str, proposal_id: int):
    protocol, version = load_draft(slug, EDIT)
    proposal = _proposal(version, proposal_id)
    form = NoteForm()
    if not form.validate_on_submit():
        message = (
            _("%(field)s: %(error)s", field=form.note.label.text, error=form.note.errors[0])
            if form.note.errors
            else _("The form expired: try again.")
        )
        return draft_page(protocol, version, message, 400)
    return draft_step(
        protocol,
        version,
        lambda: review.reject_proposal(current_user, version, proposal, form.note.data),
        _("The proposal is rejected; its author is told why."),
    )
