"""What the protocol pages share (view modules do not import each other): loading a
protocol and its draft under the rules, and the draft page with everything its review
shows (who reviewed which section, comments, proposals, approvals, what is missing)."""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.permissions import VIEW, can, load_or_404, require
from app.exceptions import ValidationFailed
from app.extensions import db
from app.protocols import adaptation, content, diff, publishing, queries, review
from app.protocols.access import EDIT, REVIEW
from app.protocols.forms import (
    AuthorForm,
    CommentForm,
    DetailsForm,
    DifferenceForm,
    NoteForm,
    PublishForm,
    RequirementForm,
    ReviewerForm,
)
from app.protocols.models import ProposalState, Protocol, ProtocolVersion


def load_protocol(slug: str, action: str = VIEW) -> Protocol:
    return load_or_404(Protocol, slug, action)


def load_draft(slug: str, action: str = VIEW) -> tuple[Protocol, ProtocolVersion]:
    """The protocol (readable) and its draft, if ``action`` is allowed on the draft."""
    protocol = load_protocol(slug)
    draft = queries.draft_of(protocol)
    if draft is None:
        abort(404)
    require(current_user, action, draft)
    return protocol, draft


def load_published(protocol: Protocol, number: int) -> ProtocolVersion:
    version = queries.version_numbered(protocol, number)
    if version is None:
        abort(404)
    require(current_user, VIEW, version)
    return version


def emails(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


@dataclass
class SectionView:
    section: object
    comments: list
    proposals: list  # open ones
    decided: list
    reviewed_by: list  # names
    difference: str


def _sections(draft: ProtocolVersion) -> list[SectionView]:
    comments, proposals = queries.comments_of(draft), queries.proposals_of(draft)
    names = {row.user_id: row.user.name for row in queries.reviewers_of(draft)}
    marks = queries.section_reviews_of(draft)
    reasons = {row.section_key: row.reason for row in queries.differences_of(draft)}
    shown = []
    for section in draft.sections:
        key = section.key
        shown.append(
            SectionView(
                section,
                [c for c in comments if c.section_key == key],
                [p for p in proposals if p.section_key == key and p.state == ProposalState.OPEN],
                [p for p in proposals if p.section_key == key and p.state != ProposalState.OPEN],
                sorted(names.get(m.reviewer_id, "—") for m in marks if m.section_key == key),
                reasons.get(key, ""),
            )
        )
    return shown


def draft_page(protocol: Protocol, draft: ProtocolVersion, message=None, status=200, **forms):
    """The draft with its review; ``forms`` replace the blank ones (to show errors)."""
    editor = can(current_user, EDIT, draft)
    requirement_form = forms.pop("requirement_form", None) or RequirementForm(formdata=None)
    requirement_form.institution.choices = [(0, "—")] + [
        (i.id, i.name) for i in protocol.programme.institutions
    ]
    details_form = forms.pop("details_form", None) or DetailsForm(formdata=None, obj=draft)
    context = {
        "protocol": protocol,
        "draft": draft,
        "message": message,
        "sections": _sections(draft),
        "reviewers": queries.reviewers_of(draft),
        "approvals": queries.approvals_of(draft),
        "requirements": [
            (row, publishing.requirement_label(row)) for row in queries.requirements_of(protocol)
        ],
        "missing": publishing.missing(draft),
        "editor": editor,
        "reviewer": can(current_user, REVIEW, draft),
        "may_comment": review.may_comment(current_user, draft),
        "approved": any(a.user_id == current_user.id for a in queries.approvals_of(draft)),
        "latest": queries.latest_published(protocol),
        "newer_source": adaptation.newer_source(protocol),
        "adapted": protocol.adapted_from_version_id is not None,
        "comment_form": forms.pop("comment_form", None) or CommentForm(formdata=None),
        "person_form": forms.pop("person_form", None) or ReviewerForm(formdata=None),
        "author_form": forms.pop("author_form", None) or AuthorForm(formdata=None, prefix="a"),
        "note_form": NoteForm(formdata=None),
        "difference_form": DifferenceForm(formdata=None),
        "publish_form": forms.pop("publish_form", None) or PublishForm(formdata=None),
        "requirement_form": requirement_form,
        "details_form": details_form,
        "marked": diff.marked,
        "html": content.html,
    }
    return render_template("protocols/draft.html", **context), status


def draft_step(protocol: Protocol, version: ProtocolVersion, act, done: str, stale=()):
    """A button's action on the draft: done → back to it; refused → the draft with the
    message, 400 (409 for an exception in ``stale``: made against an old text)."""
    if not FlaskForm().validate_on_submit():
        return draft_page(protocol, version, _("The form expired: try again."), 400)
    try:
        act()
    except ValidationFailed as error:
        db.session.rollback()
        status = 409 if isinstance(error, tuple(stale)) else 400
        return draft_page(protocol, version, str(error), status)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("protocols.draft", slug=protocol.slug), 303)
