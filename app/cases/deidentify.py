"""Finding direct identifiers in a case before it is submitted to a case conference.

Cases are written in English, Russian, Kazakh, Chinese or Swedish. A case whose text
names, numbers, dates or locates its patient is refused, and every offending passage is
pointed at so that the submitter can fix it. The text is first read as a reader sees it
(app/cases/normalise.py: character references, full-width digits, invisible
characters), then each kind of identifier has its detector (app/cases/detectors.py);
every finding points at the passage of the text as written.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.cases.detectors import DETECTORS, Span
from app.cases.normalise import normalise


@dataclass(frozen=True)
class Finding:
    field: str
    start: int  # offsets in the field's text
    end: int
    kind: str
    text: str  # the passage, text[start:end]


# Most specific first: where two findings overlap, the merged one takes the earlier kind.
KIND_LABELS = {
    "iin": _l("Kazakhstan IIN"),
    "personnummer": _l("Swedish personal identity number"),
    "china_id": _l("Chinese resident identity number"),
    "snils": _l("Russian SNILS"),
    "national_id": _l("Identity document number"),
    "mrn": _l("Medical record number"),
    "email": _l("Email address"),
    "dob": _l("Date of birth"),
    "phone": _l("Phone number"),
    "address": _l("Street address"),
    "name": _l("Patient name"),
}
KINDS = tuple(KIND_LABELS)
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one, over both, named by the more specific kind."""
    merged: list[Span] = []
    for start, end, kind in sorted(spans):
        if merged and start < merged[-1][1]:
            first, last, other = merged.pop()
            merged.append((first, max(last, end), min(kind, other, key=_RANK.__getitem__)))
        else:
            merged.append((start, end, kind))
    return merged


def scan_text(field: str, text: str) -> list[Finding]:
    """The identifiers in one field's text, in order, overlaps merged."""
    seen = normalise(text)
    spans = [span for detect in DETECTORS for span in detect(seen.text)]
    findings = []
    for start, end, kind in _merge(spans):
        start, end = seen.span(start, end)
        findings.append(Finding(field, start, end, kind, text[start:end]))
    return findings


def scan(fields: dict[str, str]) -> list[Finding]:
    """The identifiers in every field, sorted by field then offset."""
    findings = [f for field, text in fields.items() for f in scan_text(field, text or "")]
    return sorted(findings, key=lambda f: (f.field, f.start))
