"""Reading a roster CSV (e-mail, name, profession, institution), checked in full.

Every bad row is reported with its row number (the header is row 1) and the reason, and
nothing is imported unless every row is good: an upload is all or nothing.
"""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from app.auth.models import PROFESSION_LABELS, Profession

COLUMNS = ("email", "name", "profession", "institution")
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class RosterRow:
    row: int
    email: str
    name: str
    profession: Profession
    institution: str  # as written; matched against the institutions by the caller


@dataclass(frozen=True)
class RosterProblem:
    row: int  # 0: the file as a whole
    message: str


def _profession(value: str) -> Profession | None:
    """A profession by its value (``social_worker``) or its English label (``Social worker``)."""
    wanted = value.strip().lower().replace(" ", "_").replace("-", "_")
    for profession in Profession:
        if wanted in (
            profession.value,
            str(PROFESSION_LABELS[profession]).lower().replace(" ", "_"),
        ):
            return profession
    return None


def read_roster(data: bytes, institutions: set[str]) -> tuple[list[RosterRow], list[RosterProblem]]:
    """The rows of a roster file and every problem in it (rows are usable only if no problem)."""
    text, problem = _decode(data)
    if problem:
        return [], [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except (StopIteration, csv.Error):
        return [], [RosterProblem(0, _("The file is empty."))]
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        message = _("The first row must name the columns: %(columns)s.", columns=", ".join(COLUMNS))
        return [], [RosterProblem(1, message)]
    rows, problems, seen = [], [], {}
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are harmless
            if number > MAX_ROWS + 1:
                problems.append(
                    RosterProblem(number, _("A roster has at most %(n)d rows.", n=MAX_ROWS))
                )
                break
            row = _row(number, cells, institutions, seen, problems)
            if row is not None:
                rows.append(row)
    except csv.Error:  # e.g. a quote left open: Python's own message is English only
        message = _("This is not a readable CSV file: check the quotes on this line.")
        problems.append(RosterProblem(reader.line_num, message))
    if not rows and not problems:
        problems.append(RosterProblem(0, _("The file has no learners, only the header.")))
    return (rows if not problems else []), problems


def _decode(data: bytes) -> tuple[str, RosterProblem | None]:
    if not data.strip():
        return "", RosterProblem(0, _("The file is empty."))
    if len(data) > MAX_BYTES:
        return "", RosterProblem(0, _("The file is larger than 2 MB."))
    if b"\0" in data[:4096]:
        return "", RosterProblem(0, _("This is not a CSV file. Save the sheet as CSV (UTF-8)."))
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return "", RosterProblem(0, _("The file is not in UTF-8. Save the sheet as CSV (UTF-8)."))


def _row(number, cells, institutions, seen, problems) -> RosterRow | None:
    if len(cells) < len(COLUMNS):
        problems.append(
            RosterProblem(number, _("Expected 4 columns: e-mail, name, profession, institution."))
        )
        return None
    email, name, profession_text, institution = (cell.strip() for cell in cells[:4])
    errors = []
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors.append(_("“%(email)s” is not an e-mail address.", email=email[:80]))
    if not name or len(name) > 120:
        errors.append(_("A name is needed (at most 120 characters)."))
    profession = _profession(profession_text)
    if profession is None:
        errors.append(_("Unknown profession “%(value)s”.", value=profession_text[:40]))
    if institution and institution not in institutions:
        errors.append(_("Unknown institution “%(name)s”.", name=institution[:80]))
    if email in seen:
        errors.append(_("The same e-mail address as row %(row)d.", row=seen[email]))
    seen.setdefault(email, number)
    problems.extend(RosterProblem(number, message) for message in errors)
    return None if errors else RosterRow(number, email, name, profession, institution)


def sample_roster(institution: str) -> bytes:
    """A roster to start from: the header the reader expects and two example rows (one
    for the cohort's own institution, left empty, one naming ``institution``). UTF-8
    with a byte-order mark, which Excel needs to show names in other scripts; the
    reader takes files with or without it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(["zhang.wei@example.org", "张伟", Profession.NURSE.value, ""])
    writer.writerow(["anna.berg@example.org", "Anna Berg", Profession.DOCTOR.value, institution])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
