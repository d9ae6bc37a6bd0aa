"""Pages of the observer's logbook (a day's activities, hours and reflection; the
supervisor's comments) and the weekly check-ins.

A refused save re-renders the form with what was typed (400), so nothing is lost; the
hidden ``client_key`` makes a form sent twice one save; logbook.js keeps a copy on the
device until a page says the server has it (``data-logbook-saved``)."""

import html
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.permissions import VIEW, can, load_or_404
from app.auth.policies import SIGNED_IN, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.learning.receipts import claim_receipt, settle_receipt
from app.outbox import (
    MalformedKey,
    answer,
    is_outbox_request,
    key_or_none,
    new_key,
    read_key,
    refusal,
    reply,
)
from app.placements import bp, days, logbook, logbook_queries
from app.placements.access import KEEP_LOGBOOK, SUPERVISE
from app.placements.logbook_forms import ROWS, CheckInForm, CommentForm, EntryForm
from app.placements.models import LogbookEntry, Placement, State

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(text: str) -> date:
    """A day written yyyy-mm-dd; anything else is no page (404)."""
    try:
        if DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    abort(404)


def _storage_key(placement: Placement, day: date) -> str:
    return f"palliare-logbook:{placement.id}:{day.isoformat()}"


# --- The placement page's panel -----------------------------------------------------


# --- The logbook --------------------------------------------------------------------


@dataclass
class DayRow:
    day: date
    entry: LogbookEntry | None
    status: str  # "none", "draft", "submitted" ("hidden": not submitted, for others)
    hours: Decimal | None


def _rows(placement: Placement, entries: dict, observer: bool, week) -> list[DayRow]:
    rows = []
    for day in week.days:
        entry = entries.get(day)
        if entry is not None and entry.submitted_at is not None:
            rows.append(DayRow(day, entry, "submitted", logbook.entry_hours(entry)))
        elif not observer:
            rows.append(DayRow(day, None, "hidden", None))  # a draft is the observer's own
        elif entry is not None:
            rows.append(DayRow(day, entry, "draft", logbook.entry_hours(entry)))
        else:
            rows.append(DayRow(day, None, "none", None))
    return rows


def _logbook_page(placement: Placement, comment_form=None, comment_day=None, status=200):
    user = current_user
    observer = placement.observer_id == user.id
    entries = {e.day: e for e in logbook_queries.list_entries(placement)}
    check_ins = logbook_queries.list_check_ins(placement)
    weeks = [
        (week, _rows(placement, entries, observer, week), check_ins.get(week.starts_on))
        for week in logbook.weeks(placement)
    ]
    submitted = [e for e in entries.values() if e.submitted_at is not None]
    saved = _saved_marker(placement, entries, request.args.get("saved", ""))
    return render_template(
        "placements/logbook.html",
        placement=placement,
        weeks=weeks,
        observer=observer,
        may_write=observer and placement.state == State.ACCEPTED,
        may_comment=can(user, SUPERVISE, placement) and placement.state == State.ACCEPTED,
        may_check_in=logbook.may_check_in(user, placement),
        today=days.host_today(placement),
        days_logged=len(submitted),
        hours=sum((logbook.entry_hours(e) for e in submitted), Decimal(0)),
        by_kind=logbook.hours_by_kind(submitted),
        kinds=logbook.ACTIVITY_KINDS,
        comment_form=comment_form,
        comment_day=comment_day,
        saved=saved,
    ), status


def _saved_marker(placement: Placement, entries: dict, text: str) -> dict | None:
    """After a save: the device copy logbook.js may now forget (its key and form key)."""
    if not DAY.fullmatch(text):
        return None
    try:
        entry = entries.get(date.fromisoformat(text))
    except ValueError:
        return None
    if entry is None:
        return None
    return {"storage": _storage_key(placement, entry.day), "client_key": entry.client_key or ""}


def _placement_with_dates(placement_id: int) -> Placement:
    placement = load_or_404(Placement, placement_id, VIEW)
    if placement.starts_on is None or placement.state not in (State.ACCEPTED, State.COMPLETED):
        abort(404)  # no logbook before the host accepts
    return placement


@bp.route("/placements/<int:placement_id>/logbook")
@allow(SIGNED_IN)
def logbook_page(placement_id: int):
    """Every day of the placement, its check-ins and totals; drafts only to the observer."""
    return _logbook_page(_placement_with_dates(placement_id))


# --- A day's entry ------------------------------------------------------------------


def _entry_form(entry: LogbookEntry | None) -> EntryForm:
    if request.method == "POST" or entry is None:
        return EntryForm()
    activities = list(entry.activities or [])
    data = {
        "activities": activities + [{}] * max(ROWS - len(activities), 1),
        **{name: html.unescape(getattr(entry, name) or "") for name in logbook.REFLECTION},
    }
    return EntryForm(data=data)


def _entry_page(placement, day, form, entry, refused=None, findings=(), status=200):
    return render_template(
        "placements/logbook_entry.html",
        placement=placement,
        day=day,
        form=form,
        entry=entry,
        refused=refused,
        findings=findings,
        kind_labels=logbook.KIND_LABELS,
        storage_key=_storage_key(placement, day),
        saved=request.args.get("saved") if entry is not None else None,
        # A refused form keeps its key: nothing was stored under it, and sending it
        # again is still one sending.
        submission_key=key_or_none(request.form) or new_key(),
    ), status


@bp.route("/placements/<int:placement_id>/logbook/<day>", methods=["GET", "POST"])
@allow(SIGNED_IN)
def logbook_entry(placement_id: int, day: str):
    """The observer writes a day: activities and hours, the reflection; draft or submit.
    A day sent from a device's outbox is answered in JSON (``app/outbox.py``): the
    de-identification guard runs on arrival and a refusal names the field."""
    placement = _placement_with_dates(placement_id)
    the_day = _day(day)
    if not can(current_user, KEEP_LOGBOOK, placement):
        abort(403)
    try:
        key = read_key(request.form) if request.method == "POST" else None
    except MalformedKey as error:
        return refusal(str(error), 400)
    today = days.host_today(placement)
    entry = logbook_queries.get_entry(placement, the_day)
    try:
        logbook.check_open(placement)
        logbook.check_day(placement, the_day, today)
    except ValidationFailed as error:
        if request.method == "POST" and is_outbox_request():
            return reply("refused", str(error), None, 422)
        # Asking for a day still to come (or of a closed logbook) is fair; writing it is not.
        fair = request.method == "GET" and logbook.in_placement(placement, the_day)
        status = 200 if fair else 400
        return _entry_page(placement, the_day, None, entry, refused=str(error), status=status)
    form = _entry_form(entry)
    findings = []
    if form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        corrected = entry is not None and entry.submitted_at is not None
        url, message = _after_save(placement, the_day, submit, corrected)
        try:
            saved = _save_entry(placement, the_day, form, submit, today, (key, url, message))
        except logbook.IdentifiersFound as error:
            db.session.rollback()
            findings = error.findings
            for finding in findings:
                form[finding.field].errors.append(str(logbook.finding_message(finding)))
        except ValidationFailed as error:
            db.session.rollback()
            _show(form, error)
        else:
            if isinstance(saved, LogbookEntry):
                return answer("stored", url, message)
            return answer("duplicate", saved.receipt.url, saved.receipt.message)
    status = 400 if form.errors or form.activity_errors else 200
    if request.method == "POST" and is_outbox_request():
        return reply("refused", " ".join(form.messages()), None, 422)
    return _entry_page(placement, the_day, form, entry, findings=findings, status=status)


def _save_entry(placement, day, form: EntryForm, submit: bool, today, receipt):
    """Save and commit; if another request wrote the day's row meanwhile (the same form
    sent twice at once), save again over it: the day keeps one entry. ``receipt`` is
    (submission key or None, the answer's url, its message): a key already stored
    returns its Claim instead of saving again."""
    key, url, message = receipt
    text = logbook.EntryText(
        form.rows(), **{name: form[name].data or "" for name in logbook.REFLECTION}
    )

    def save():
        claim = key and claim_receipt(current_user, key, "logbook")
        if claim and claim.duplicate:
            return claim
        entry = logbook.save_entry(
            current_user,
            placement,
            day,
            text,
            submit=submit,
            today=today,
            client_key=form.client_key.data,
        )
        if claim:
            settle_receipt(claim, url, message)
        return entry

    return _commit_once_more(save)


def _commit_once_more(save):
    """``save()`` and commit; a row another request inserted meanwhile (a double post,
    a check-in written by both at once) makes one more try, over that row."""
    try:
        result = save()
        db.session.commit()
        return result
    except IntegrityError:
        db.session.rollback()
    result = save()
    db.session.commit()
    return result


def _after_save(placement: Placement, day: date, submit: bool, corrected: bool):
    """Where a save leads and what it says: (url, message)."""
    when = day.isoformat()
    if submit or corrected:
        if corrected:
            message = _("Correction saved: the day stays submitted.")
        else:
            message = _("Submitted: your supervisor can read this day now.")
        url = url_for("placements.logbook_page", placement_id=placement.id, saved=when)
        return f"{url}#day-{when}", message
    message = _("Draft saved. Only you can see it until you submit it.")
    url = url_for("placements.logbook_entry", placement_id=placement.id, day=when, saved="1")
    return url, message


def _show(form: EntryForm, error: ValidationFailed) -> None:
    if error.field in logbook.REFLECTION:
        form[error.field].errors.append(str(error))
    else:
        form.activity_errors.append(str(error))


@bp.route("/placements/<int:placement_id>/logbook/<day>/comments", methods=["POST"])
@allow(SIGNED_IN)
def logbook_comment(placement_id: int, day: str):
    """The supervisor comments on a submitted day; the observer is told."""
    placement = _placement_with_dates(placement_id)
    the_day = _day(day)
    if not can(current_user, SUPERVISE, placement):
        abort(403)
    entry = logbook_queries.get_entry(placement, the_day)
    form = CommentForm()
    if entry is None or entry.submitted_at is None:
        # No entry and a draft answer alike: a draft is the observer's own.
        flash(_("This day is not submitted yet: there is nothing to comment on."), "error")
        return _logbook_page(placement, status=400)
    if form.validate_on_submit():
        try:
            logbook.add_comment(current_user, entry, form.body.data)
        except logbook.IdentifiersFound as error:
            db.session.rollback()
            form.body.errors += [str(logbook.finding_message(f)) for f in error.findings]
        except ValidationFailed as error:
            db.session.rollback()
            form.body.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Comment saved: the observer is told."), "success")
            url = url_for("placements.logbook_page", placement_id=placement.id)
            return redirect(f"{url}#day-{entry.day.isoformat()}", 303)
    return _logbook_page(placement, form, entry.day, 400)


# --- Weekly check-ins ---------------------------------------------------------------


@bp.route("/placements/<int:placement_id>/check-ins/<int:number>", methods=["GET", "POST"])
@allow(SIGNED_IN)
def check_in(placement_id: int, number: int):
    """The week's shared note: written or edited by the observer or the supervisor."""
    placement = _placement_with_dates(placement_id)
    week = logbook.week_numbered(placement, number)
    if week is None:
        abort(404)
    current = logbook.get_check_in(placement, week)
    today = days.host_today(placement)
    may_write = logbook.may_check_in(current_user, placement) and today >= week.starts_on
    if request.method == "POST" and current_user.id not in (
        placement.observer_id,
        placement.supervisor_id,
    ):
        abort(403)
    form = CheckInForm(data={"note": html.unescape(current.note)} if current else None)
    if form.validate_on_submit():
        try:
            _commit_once_more(
                lambda: logbook.save_check_in(current_user, placement, week, form.note.data, today)
            )
        except logbook.IdentifiersFound as error:
            db.session.rollback()
            form.note.errors += [str(logbook.finding_message(f)) for f in error.findings]
        except ValidationFailed as error:
            db.session.rollback()
            form.note.errors.append(str(error))
        else:
            flash(_("Check-in saved."), "success")
            return redirect(url_for("placements.logbook_page", placement_id=placement.id), 303)
    return render_template(
        "placements/check_in.html",
        placement=placement,
        week=week,
        check_in=current,
        form=form,
        may_write=may_write,
    ), 400 if form.errors else 200
