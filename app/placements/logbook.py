"""The observer's logbook (one entry a day: activities with their hours and a guided
reflection), the supervisor's comments and the weekly check-ins (flush, never commit).

Every free text passes the case form's de-identification guard (app/cases/services.py
``checked_texts``) and is stored as that guard returns it (plain text, escaped): a text
that names or numbers a patient refuses the whole save, drafts included, so an
identifier is never stored. ``today`` is passed in (the host's day, ``host_today``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.permissions import require
from app.cases.deidentify import KIND_LABELS, Finding
from app.cases.services import IdentifiersFound as CaseIdentifiersFound
from app.cases.services import checked_texts
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.notifications.services import notify
from app.placements import logbook_queries
from app.placements.access import KEEP_LOGBOOK, SUPERVISE
from app.placements.logbook_queries import get_entry
from app.placements.models import (
    ACTIVITIES,
    CheckIn,
    LogbookComment,
    LogbookEntry,
    Placement,
    State,
)

ACTIVITY_KINDS = {**ACTIVITIES, "teaching": _l("Teaching sessions"), "other": _l("Other")}
REFLECTION = ("saw", "learned", "adapt")
STEP, MIN_HOURS, MAX_HOURS, MAX_DAY_HOURS = (Decimal(v) for v in ("0.25", "0.25", "12", "16"))
MAX_REFLECTION, MAX_NOTE = 4000, 2000
KIND = "placement_logbook"  # the notification kind


FIELD_LABELS = {
    "saw": _l("What I saw"),
    "learned": _l("What I learned"),
    "adapt": _l("What I would adapt at home"),
    "body": _l("Comment"),
    "note": _l("Note"),
}


class IdentifiersFound(ValidationFailed):
    """A text names or numbers a patient: ``findings`` say where (field, kind, passage)."""

    def __init__(self, findings: list[Finding]):
        first = findings[0]
        super().__init__(finding_message(first), first.field)
        self.findings = findings


def finding_message(finding: Finding):
    """What a finding tells the writer: the field, the kind of identifier, the passage."""
    return _l(
        "%(field)s: “%(text)s” identifies a patient (%(kind)s). Remove it: nothing was saved.",
        field=FIELD_LABELS.get(finding.field, finding.field),
        kind=KIND_LABELS[finding.kind],
        text=finding.text,
    )


def guard(fields: dict[str, str]) -> dict[str, str]:
    """The texts as they will be stored, once the case form's guard has read them."""
    try:
        return checked_texts(fields)
    except CaseIdentifiersFound as error:
        raise IdentifiersFound(error.findings) from None


# --- Days and weeks -----------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    number: int
    starts_on: date
    ends_on: date

    @property
    def days(self) -> list[date]:
        return [
            self.starts_on + timedelta(n) for n in range((self.ends_on - self.starts_on).days + 1)
        ]


def weeks(placement: Placement) -> list[Week]:
    """The placement's own weeks: week 1 from its first day, every 7 days; the last may be
    short. None before the placement has dates."""
    if placement.starts_on is None or placement.ends_on is None:
        return []
    found, first = [], placement.starts_on
    while first <= placement.ends_on:
        last = min(first + timedelta(6), placement.ends_on)
        found.append(Week(len(found) + 1, first, last))
        first = last + timedelta(1)
    return found


def week_numbered(placement: Placement, number: int) -> Week | None:
    return next((w for w in weeks(placement) if w.number == number), None)


def in_placement(placement: Placement, day: date) -> bool:
    return placement.starts_on is not None and placement.starts_on <= day <= placement.ends_on


def outside_message(placement: Placement):
    return _l(
        "The logbook has a page for each day of the placement, from %(first)s to %(last)s.",
        first=format_date(placement.starts_on),
        last=format_date(placement.ends_on),
    )


def check_open(placement: Placement) -> None:
    if placement.state != State.ACCEPTED:
        raise ValidationFailed(
            _l(
                "This placement is %(state)s: its logbook cannot be written now.",
                state=placement.state_label,
            )
        )


def check_day(placement: Placement, day: date, today: date) -> None:
    """A day the logbook may be written for: within the placement, and not after today."""
    if not in_placement(placement, day):
        raise ValidationFailed(outside_message(placement), "day")
    if day > today:
        raise ValidationFailed(
            _l("%(day)s has not come yet: write its entry on the day.", day=format_date(day)),
            "day",
        )


# --- Entries ------------------------------------------------------------------------


@dataclass
class EntryText:
    """What the observer wrote for a day: ``activities`` as (kind, hours) rows as typed."""

    activities: list[tuple[str, str]]
    saw: str = ""
    learned: str = ""
    adapt: str = ""


def _hours(value, label) -> Decimal:
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        hours = Decimal("NaN")
    if hours.is_nan() or not MIN_HOURS <= hours <= MAX_HOURS or hours % STEP:
        raise ValidationFailed(
            _l(
                "%(activity)s: give the hours from 0.25 to 12, in quarter hours (1.5, 2.25).",
                activity=label,
            ),
            "activities",
        )
    return hours


def clean_activities(rows: list[tuple[str, str]]) -> list[dict]:
    """The activities as stored, [{"kind", "hours"}]; empty rows are left out."""
    cleaned, total = [], Decimal(0)
    for position, (kind, hours) in enumerate(rows, start=1):
        kind, hours = (kind or "").strip(), str(hours if hours is not None else "").strip()
        if not kind and not hours:
            continue
        if kind not in ACTIVITY_KINDS:
            raise ValidationFailed(
                _l("Row %(num)d: choose what you did.", num=position), "activities"
            )
        label = ACTIVITY_KINDS[kind]
        if any(item["kind"] == kind for item in cleaned):
            raise ValidationFailed(
                _l(
                    "%(activity)s is listed twice: give it once, with all its hours.",
                    activity=label,
                ),
                "activities",
            )
        amount = _hours(hours, label)
        total += amount
        cleaned.append({"kind": kind, "hours": float(amount)})  # quarters are exact floats
    if total > MAX_DAY_HOURS:
        raise ValidationFailed(
            _l(
                "A day holds at most 16 hours: these add up to %(hours)s.",
                hours=format_decimal(total),
            ),
            "activities",
        )
    return cleaned


def _check_reflection(text: EntryText, submit: bool, activities: list) -> None:
    for name in REFLECTION:
        if len((getattr(text, name) or "").strip()) > MAX_REFLECTION:
            raise ValidationFailed(_l("At most %(max)d characters.", max=MAX_REFLECTION), name)
    if submit and not activities:
        raise ValidationFailed(_l("To submit the day, give at least one activity."), "activities")
    if submit and not (text.saw or "").strip():
        raise ValidationFailed(_l("To submit the day, say what you saw."), "saw")


def save_entry(
    observer: User,
    placement: Placement,
    day: date,
    text: EntryText,
    *,
    submit: bool,
    today: date,
    client_key: str | None = None,
) -> LogbookEntry:
    """Save the day's entry as a draft or submit it; a submitted entry stays submitted
    when corrected, so a correction keeps what a submission needs. Everything is checked
    first: a refusal writes nothing. The same ``client_key`` posted twice updates the one
    entry of the day."""
    require(observer, KEEP_LOGBOOK, placement, _l("Only the observer writes the logbook."))
    check_open(placement)
    check_day(placement, day, today)
    entry = get_entry(placement, day)
    submitted = entry is not None and entry.submitted_at is not None
    activities = clean_activities(text.activities)
    _check_reflection(text, submit or submitted, activities)
    stored = guard({name: getattr(text, name) or "" for name in REFLECTION})
    if entry is None:
        entry = LogbookEntry(placement_id=placement.id, day=day)
        db.session.add(entry)
    first_submission = submit and entry.submitted_at is None
    entry.activities = activities
    entry.saw, entry.learned, entry.adapt = (stored[name] for name in REFLECTION)
    entry.updated_at = utcnow()
    if first_submission:
        entry.submitted_at = entry.updated_at
    client_key = (client_key or "").strip()[:64]
    # Keys are unique: a key already on another entry is not moved (one form, one day).
    if (
        client_key
        and entry.client_key != client_key
        and not logbook_queries.client_key_taken(client_key)
    ):
        entry.client_key = client_key
    db.session.flush()
    if first_submission and placement.supervisor is not None:
        _tell(placement.supervisor, placement, "submitted", day_on=day.isoformat())
    return entry


def add_comment(supervisor: User, entry: LogbookEntry, body: str) -> LogbookComment:
    """The supervisor comments on a submitted entry; the observer is told."""
    placement = entry.placement
    require(supervisor, SUPERVISE, placement, _l("Only the supervisor comments on the logbook."))
    check_open(placement)
    if entry.submitted_at is None:
        raise ValidationFailed(_l("This day is not submitted yet."), "body")
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_l("Write your comment."), "body")
    if len(body) > MAX_NOTE:
        raise ValidationFailed(_l("At most %(max)d characters.", max=MAX_NOTE), "body")
    comment = LogbookComment(
        entry=entry, author_id=supervisor.id, body=guard({"body": body})["body"]
    )
    db.session.add(comment)
    db.session.flush()
    _tell(placement.observer, placement, "commented", day_on=entry.day.isoformat())
    return comment


# --- Weekly check-ins ---------------------------------------------------------------


def may_check_in(user: User, placement: Placement) -> bool:
    return placement.state == State.ACCEPTED and user.id in (
        placement.observer_id,
        placement.supervisor_id,
    )


def get_check_in(placement: Placement, week: Week) -> CheckIn | None:
    """The check-in of ``week``, if written."""
    return logbook_queries.check_in_of_week(placement, week.starts_on)


def save_check_in(actor: User, placement: Placement, week: Week, note: str, today: date) -> CheckIn:
    """The observer or the supervisor writes (or edits) the week's shared note, from the
    week's first day on; the other one is told."""
    if actor.id not in (placement.observer_id, placement.supervisor_id):
        raise PermissionDenied(_l("Only the observer and the supervisor write the check-ins."))
    check_open(placement)
    if today < week.starts_on:
        raise ValidationFailed(
            _l("Week %(num)d starts on %(day)s: write its check-in from then.",
               num=week.number, day=format_date(week.starts_on)),
            "note",
        )  # fmt: skip
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_l("Write the week's note."), "note")
    if len(note) > MAX_NOTE:
        raise ValidationFailed(_l("At most %(max)d characters.", max=MAX_NOTE), "note")
    stored = guard({"note": note})["note"]
    check_in = get_check_in(placement, week)
    if check_in is None:
        check_in = CheckIn(placement_id=placement.id, week_starts_on=week.starts_on)
        db.session.add(check_in)
    check_in.note, check_in.updated_by_id, check_in.updated_at = stored, actor.id, utcnow()
    db.session.flush()
    other = placement.supervisor if actor.id == placement.observer_id else placement.observer
    if other is not None and other.id != actor.id:
        _tell(other, placement, "check_in", week=week.number, by=actor.name)
    return check_in


def _tell(person: User, placement: Placement, variant: str, **params) -> None:
    notify(
        person,
        KIND,
        variant=variant,
        placement_id=placement.id,
        title=placement.offer.title,
        observer=placement.observer.name,
        **params,
    )


# --- Counting the logbook -----------------------------------------------------------


def entry_hours(entry: LogbookEntry) -> Decimal:
    return sum((Decimal(str(item["hours"])) for item in entry.activities or []), Decimal(0))


def logged_hours(placement: Placement) -> Decimal:
    """The hours of the placement's submitted entries (the certificate's CPD hours)."""
    return sum((entry_hours(e) for e in logbook_queries.submitted_entries(placement)), Decimal(0))


def days_logged(placement: Placement) -> int:
    """How many days of the placement have a submitted entry."""
    return len(logbook_queries.submitted_entries(placement))


def hours_by_kind(entries: list[LogbookEntry]) -> list[tuple[str, Decimal]]:
    """(kind, hours) over submitted ``entries``, in the list's order of kinds."""
    totals: dict[str, Decimal] = {}
    for entry in entries:
        if entry.submitted_at is None:
            continue
        for item in entry.activities or []:
            totals[item["kind"]] = totals.get(item["kind"], Decimal(0)) + Decimal(
                str(item["hours"])
            )
    return [(kind, totals[kind]) for kind in ACTIVITY_KINDS if kind in totals]
