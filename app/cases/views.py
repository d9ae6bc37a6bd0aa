"""Cases: submitting one (refused, with the passages marked, while it identifies the
patient), the case page, the organisers' agenda actions, and attachments."""

import io
from datetime import timedelta

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from app.auth.permissions import MANAGE, VIEW, can, load_or_404
from app.auth.policies import SIGNED_IN, allow
from app.cases import bp, pending
from app.cases import services as cases
from app.cases.attachments import CheckedFile, check_attachment
from app.cases.deidentify import KIND_LABELS
from app.cases.forms import CaseForm, RecommendationForm
from app.cases.models import CaseAttachment, ConferenceCase
from app.conferences.models import ConferenceSeries
from app.conferences.recurrence import find_occurrence, occurrences
from app.conferences.stamps import moment_of, stamp_of, viewer_zone
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.locales import format_local
from app.storage import StorageUnavailable, file_store
from app.urls import safe_next

STORE_DOWN = _l(
    "The attachments cannot be stored right now, so the case was not submitted and nothing "
    "was saved. Please try again in a few minutes (choose the files again)."
)
NOT_KEPT = _l(
    "The files you chose could not be kept for you right now: choose them again before you submit."
)
FILE_DOWN = _l("This file cannot be fetched right now. Please try again in a few minutes.")


def _case_form(series):
    form = CaseForm()
    now, tz = utcnow(), viewer_zone()
    upcoming = [o for o in occurrences(series, now, now + timedelta(days=120)) if not o.cancelled]
    form.occurrence.choices = [
        (stamp_of(o.original_start), format_local(o.start, tz)) for o in upcoming[:8]
    ]
    if request.method == "GET" and request.args.get("session"):
        form.occurrence.data = request.args["session"]
    return form


@bp.route("/conferences/<int:series_id>/cases/new", methods=["GET", "POST"])
@allow(SIGNED_IN)
def new_case(series_id: int):
    """Submit a de-identified case to an upcoming session. Files chosen for a case that
    is refused are kept (app/cases/pending.py), so they need not be chosen again."""
    series = load_or_404(ConferenceSeries, series_id, VIEW)
    form = _case_form(series)
    kept = _kept_on_form(series)
    findings, checked, unavailable, new_files = [], {}, False, []
    if form.validate_on_submit():
        try:
            new_files = _new_uploads(form)
            case = _submit(form, series, pending.load_kept(kept) + new_files)
        except cases.IdentifiersFound as error:
            db.session.rollback()
            findings, checked = error.findings, error.texts
        except pending.KeptFileGone as error:
            show_on_form(form, error, "attachments")
            kept = [item for item in kept if item != error.kept]
        except (PermissionDenied, ValidationFailed) as error:
            show_on_form(form, error, "occurrence")
        except StorageUnavailable:
            db.session.rollback()  # deletes whatever files were written
            current_app.logger.exception("File store unavailable; case not submitted")
            form.attachments.errors.append(STORE_DOWN)
            unavailable = True
        else:
            pending.discard_kept(kept)
            db.session.commit()
            flash(
                _("Case submitted. The organisers will tell you if it is on the agenda."), "success"
            )
            return redirect(url_for("cases.case", case_id=case.id))
    elif form.is_submitted() and not form.attachments.errors:
        new_files = _new_uploads_or_error(form)
    if form.is_submitted() and not unavailable:
        kept += _keep(form, new_files)
    status = 503 if unavailable else 422 if findings or form.errors else 200
    return _case_page(series, form, findings, checked, kept), status


def _kept_on_form(series) -> list[pending.KeptFile]:
    """The files kept from the last try, less those the submitter ticked to remove."""
    if request.method != "POST":
        return []
    kept = pending.read_kept(request.form.get("kept", ""), current_user.id, series.id)
    removed = set(request.form.getlist("remove_kept"))
    return [item for item in kept if item.key not in removed]


def _new_uploads(form: CaseForm) -> list[CheckedFile]:
    """The files chosen this time, checked (ValidationFailed says what is wrong)."""
    return [
        check_attachment(f.filename, f.read()) for f in form.attachments.data or [] if f.filename
    ]


def _new_uploads_or_error(form: CaseForm) -> list[CheckedFile]:
    try:
        return _new_uploads(form)
    except ValidationFailed as error:
        form.attachments.errors.append(str(error))
        return []


def _keep(form: CaseForm, files: list[CheckedFile]) -> list[pending.KeptFile]:
    """Keep the files chosen with a refused case; if the store cannot take them, say
    beside the field that they must be chosen again."""
    try:
        return pending.keep_files(files)
    except StorageUnavailable:
        current_app.logger.exception("File store unavailable; chosen files not kept")
        form.attachments.errors.append(NOT_KEPT)
        return []


def _submit(form: CaseForm, series: ConferenceSeries, files) -> ConferenceCase:
    """The case as submitted; raises if it identifies the patient or cannot be stored."""
    text = cases.CaseText(
        **{name: form[name].data for name in ("age_band", "sex", *cases.TEXT_FIELDS)}
    )
    return cases.submit_case(current_user, series, moment_of(form.occurrence.data), text, files)


def _case_page(series, form, findings, checked, kept) -> str:
    return render_template(
        "cases/case_form.html",
        series=series,
        form=form,
        findings=findings,
        marked=_marked(checked, findings),
        kind_labels=KIND_LABELS,
        kept=kept,
        kept_field=pending.sign_kept(kept, current_user.id, series.id) if kept else "",
    )


def _marked(texts: dict[str, str], findings) -> dict:
    """Each field's text as checked, with the offending passages wrapped in <mark>."""
    marked = {}
    for name in {finding.field for finding in findings}:
        text, out, last = texts.get(name, ""), Markup(""), 0
        for finding in sorted((f for f in findings if f.field == name), key=lambda f: f.start):
            out += escape(text[last : finding.start])
            out += Markup("<mark>%s</mark>") % text[finding.start : finding.end]
            last = finding.end
        marked[name] = out + escape(text[last:])
    return marked


@bp.route("/conferences/cases/<int:case_id>")
@allow(SIGNED_IN)
def case(case_id: int):
    """A case, its place on the agenda and the panel's recommendation."""
    case = load_or_404(ConferenceCase, case_id, VIEW)
    occurrence = find_occurrence(case.series, case.occurrence_start)
    return render_template(
        "cases/case.html",
        case=case,
        tz=viewer_zone(),
        occurrence=occurrence,
        organiser=can(current_user, MANAGE, case),
        form=RecommendationForm(recommendation=case.recommendation),
        stamp_of=stamp_of,
    )


@bp.route("/conferences/cases/<int:case_id>/<action>", methods=["POST"])
@allow(SIGNED_IN)
def case_action(case_id: int, action: str):
    """The organisers' agenda: accept, decline, move up or down, recommend."""
    case = load_or_404(ConferenceCase, case_id, VIEW)
    actions = {
        "accept": lambda: cases.accept_case(current_user, case),
        "decline": lambda: cases.decline_case(current_user, case),
        "up": lambda: cases.move_case(current_user, case, -1),
        "down": lambda: cases.move_case(current_user, case, +1),
        "recommend": lambda: cases.record_recommendation(
            current_user, case, RecommendationForm().recommendation.data or ""
        ),
    }
    if action not in actions:
        abort(404)
    try:
        actions[action]()
    except ValidationFailed as error:
        flash(str(error), "error")
        return redirect(request.referrer or url_for("cases.case", case_id=case.id), 303)
    db.session.commit()
    flash(_("Saved."), "success")
    here = url_for("cases.case", case_id=case.id)
    return redirect(safe_next(request.form.get("next") or here, default=here), 303)


@bp.route("/conferences/cases/<int:case_id>/files/<int:file_id>")
@allow(SIGNED_IN)
def attachment(case_id: int, file_id: int):
    """An attachment, for those who may see the case; always downloaded, never run, never
    kept by a cache. An image is served once it has been re-encoded."""
    case = load_or_404(ConferenceCase, case_id, VIEW)
    item = db.session.get(CaseAttachment, file_id)
    if item is None or item.case_id != case.id:
        abort(404)
    if not item.ready:
        return _not_ready(case, item)
    try:
        data = file_store().get(item.storage_key)
    except KeyError:
        current_app.logger.error(
            "Attachment %s: %s missing from the store", item.id, item.storage_key
        )
        abort(404)
    except StorageUnavailable:
        current_app.logger.exception("File store unavailable; attachment %s not served", item.id)
        return _files_unavailable()
    return _download(item, data)


def _not_ready(case: ConferenceCase, item: CaseAttachment):
    """Still being re-encoded: come back in a moment. Otherwise it will never be served."""
    if not item.pending:
        abort(404)
    flash(
        _("%(name)s is still being prepared. Try again in a moment.", name=item.filename),
        "info",
    )
    return redirect(url_for("cases.case", case_id=case.id), 303)


def _files_unavailable():
    return (
        render_template(
            "errors/error.html", title=_("Files unavailable"), message=FILE_DOWN, status=503
        ),
        503,
        {"Retry-After": "60"},
    )


def _download(item: CaseAttachment, data: bytes):
    response = send_file(
        io.BytesIO(data),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.filename,
        etag=False,
        conditional=False,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
