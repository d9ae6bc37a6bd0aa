"""Cases for a conference: submitting one (refused while it identifies the patient), the
organiser's agenda and the recommendation (flush, never commit)."""

import html
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.permissions import MANAGE, SUBMIT, require
from app.cases.attachments import MAX_FILES, CheckedFile
from app.cases.deidentify import Finding, scan
from app.cases.models import CaseAttachment, ConferenceCase
from app.cases.queries import agenda_for, lock_series
from app.cases.tasks import PREFIX, RAW_PREFIX, reencode_attachment
from app.conferences.models import ConferenceSeries
from app.conferences.recurrence import find_occurrence
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.html import plain_text
from app.notifications.services import notify
from app.storage import new_key, put_with_row
from app.tasks import enqueue_after_commit

TEXT_FIELDS = ("diagnosis", "symptoms_and_medicines", "context", "goals_of_care", "question")
AGE_BANDS = ("0-17", "18-39", "40-59", "60-69", "70-79", "80-89", "90+")
SEXES = ("female", "male", "other", "unknown")


class IdentifiersFound(ValidationFailed):
    """The case text names or numbers the patient; ``findings`` says where, in ``texts``
    (the texts as checked, which is how they would have been stored)."""

    def __init__(self, findings: list[Finding], texts: dict[str, str]):
        super().__init__(_("The case identifies the patient. Remove the marked passages."))
        self.findings = findings
        self.texts = texts


def checked_texts(fields: dict[str, str]) -> dict[str, str]:
    """The fields as they will be stored — every tag removed by bleach — after the
    de-identification guard has read exactly that text (unescaped, as a reader sees it),
    so that markup or character references cannot hide a number from it."""
    stored = {name: plain_text(value.strip()) for name, value in fields.items()}
    seen = {name: html.unescape(value) for name, value in stored.items()}
    findings = scan(seen)
    if findings:
        raise IdentifiersFound(findings, seen)
    return stored


@dataclass
class CaseText:
    age_band: str
    sex: str
    diagnosis: str
    symptoms_and_medicines: str
    context: str
    goals_of_care: str
    question: str


def submit_case(
    user: User,
    series: ConferenceSeries,
    original_start: datetime,
    text: CaseText,
    files: list[CheckedFile],
) -> ConferenceCase:
    """Submit a case to an upcoming occurrence; IdentifiersFound if any text identifies
    the patient (nothing is saved, the submitter fixes the marked passages), and
    StorageUnavailable if the files cannot be stored (roll back: nothing stays)."""
    require(user, SUBMIT, series, _l("Join the series to submit a case."))
    _check_submission(series, original_start, text, files)
    fields = {name: getattr(text, name) for name in TEXT_FIELDS}
    fields["attachments"] = "\n".join(f.filename for f in files)  # names can identify too
    stored = checked_texts(fields)
    del stored["attachments"]
    case = ConferenceCase(
        series_id=series.id,
        occurrence_start=original_start,
        submitter_id=user.id,
        age_band=text.age_band,
        sex=text.sex,
        **stored,
    )
    case.attachments = [_stored_attachment(f) for f in files]
    db.session.add(case)
    db.session.flush()
    for item in case.attachments:
        if item.pending:
            enqueue_after_commit(reencode_attachment.s(item.id))
    return case


def _check_submission(series, original_start, text: CaseText, files: list) -> None:
    """An upcoming session, a known age band and sex, not too many files."""
    occurrence = find_occurrence(series, original_start)
    if occurrence is None or occurrence.cancelled or occurrence.start <= utcnow():
        raise ValidationFailed(_("Choose an upcoming session."), "occurrence")
    if text.age_band not in AGE_BANDS or text.sex not in SEXES:
        raise ValidationFailed(_("Choose an age band and a sex."), "age_band")
    if len(files) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d attachments.", n=MAX_FILES), "attachments")


def _stored_attachment(checked: CheckedFile) -> CaseAttachment:
    """The file written to the store (deleted again if the case is not committed; raises
    StorageUnavailable when the store cannot take it), and its row. An image is kept
    unserved until a task has re-encoded it without its metadata."""
    prefix = RAW_PREFIX if checked.is_image else PREFIX
    key = new_key(prefix, checked.filename)
    put_with_row(key, checked.data, checked.content_type)
    return CaseAttachment(
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(checked.data),
        storage_key=None if checked.is_image else key,
        quarantine_key=key if checked.is_image else None,
    )


def _require_organiser(actor: User, series: ConferenceSeries) -> None:
    require(actor, MANAGE, series, _l("Only the organisers manage the agenda."))


def accept_case(actor: User, case: ConferenceCase) -> None:
    """Put a case on its upcoming session's agenda, last, if the session has room."""
    _require_organiser(actor, case.series)
    if case.status == "accepted":
        raise ValidationFailed(_("This case is already on the agenda (#%(n)d).", n=case.position))
    occurrence = find_occurrence(case.series, case.occurrence_start)
    if occurrence is None or occurrence.cancelled or occurrence.end <= utcnow():
        raise ValidationFailed(_("This session is cancelled or over."))
    # Two organisers accepting at once must not both take the last place (PostgreSQL).
    lock_series(case.series_id)
    agenda = agenda_for(case.series, case.occurrence_start)
    if len(agenda) >= case.series.max_cases:
        raise ValidationFailed(_("The session already has %(n)d cases.", n=case.series.max_cases))
    case.status = "accepted"
    case.position = max((c.position or 0 for c in agenda), default=0) + 1
    _tell_submitter(actor, case, "case_decided", variant="accepted", session_at=occurrence.start)
    db.session.flush()


def decline_case(actor: User, case: ConferenceCase) -> None:
    """Take a case off the agenda (or out of the queue)."""
    _require_organiser(actor, case.series)
    if case.status != "declined":
        _tell_submitter(
            actor, case, "case_decided", variant="declined", session_at=case.occurrence_start
        )
    case.status, case.position = "declined", None
    _renumber(case.series, case.occurrence_start)


def move_case(actor: User, case: ConferenceCase, step: int) -> None:
    """Move an accepted case up (-1) or down (+1) the agenda."""
    _require_organiser(actor, case.series)
    agenda = agenda_for(case.series, case.occurrence_start)
    index = next((i for i, c in enumerate(agenda) if c.id == case.id), None)
    if index is None or not 0 <= index + step < len(agenda):
        return
    agenda[index], agenda[index + step] = agenda[index + step], agenda[index]
    for position, item in enumerate(agenda, start=1):
        item.position = position
    db.session.flush()


def _renumber(series: ConferenceSeries, original_start: datetime) -> None:
    for position, item in enumerate(agenda_for(series, original_start), start=1):
        item.position = position
    db.session.flush()


def record_recommendation(actor: User, case: ConferenceCase, text: str) -> None:
    """The panel's recommendation on a discussed case (the presenter sees it)."""
    _require_organiser(actor, case.series)
    if case.status != "accepted":
        raise ValidationFailed(_("Only cases on the agenda get a recommendation."))
    if not text.strip():
        raise ValidationFailed(_("Write the recommendation."), "recommendation")
    case.recommendation = plain_text(text.strip()[:5000])
    case.recommended_at = utcnow()
    _tell_submitter(actor, case, "case_recommendation")
    db.session.flush()


def _tell_submitter(actor: User, case: ConferenceCase, kind: str, **params) -> None:
    """Tell the clinician who submitted ``case`` (not an organiser deciding their own)."""
    if case.submitter is not None and case.submitter_id != actor.id:
        notify(case.submitter, kind, series=case.series.title, case_id=case.id, **params)
