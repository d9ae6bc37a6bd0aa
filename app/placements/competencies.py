"""The competencies an observer's objectives are picked from: a list that ships with the
app, grouped by domain, which administrators and host coordinators extend.

The domains follow the ten core competencies of the EAPC White Paper on palliative care
education (Gamondi C, Larkin P, Payne S. Core competencies in palliative care: an EAPC
White Paper on palliative care education – part 1 and part 2. Eur J Palliat Care
2013;20(2):86–91 and 20(3):140–145): physical comfort; psychological, social and
spiritual needs; family carers; clinical and ethical decision-making; care co-ordination
and interdisciplinary teamwork; communication; self-awareness and continuing professional
development, with the organisation of services (the EAPC's "core constituents of
palliative care in the setting where patients and families are based") and teaching
(the programmes train trainers) as domains of their own. Each competency is something an
observer can watch being done at a host service and take home.

Shipped codes are stable words (objectives store them; titles are translated when shown);
an added competency's code is ``x-<number>`` and its title stays as written.
"""

import re
import secrets
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.auth.models import User
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.placements import agreement_queries
from app.placements.access import is_programme_admin
from app.placements.models import Competency

EXTENSION_PREFIX = "x-"
MAX_TITLE = 300

DOMAINS: dict[str, LazyString] = {
    "symptoms": _l("Physical comfort and symptoms"),
    "psychosocial": _l("Psychological, social and spiritual needs"),
    "family": _l("Family carers and bereavement"),
    "communication": _l("Communication"),
    "ethics": _l("Clinical and ethical decision-making"),
    "teamwork": _l("Teamwork and care co-ordination"),
    "services": _l("Organising palliative care services"),
    "professional": _l("Self-care and professional development"),
    "teaching": _l("Teaching palliative care"),
}

# code -> (domain, title), in the order the lists show them.
SHIPPED: dict[str, tuple[str, LazyString]] = {
    "symptom-assessment": (
        "symptoms",
        _l("Assessing symptoms with a validated tool (e.g. ESAS-r)"),
    ),
    "pain": ("symptoms", _l("Assessing and managing pain")),
    "breakthrough-pain": ("symptoms", _l("Managing breakthrough pain")),
    "other-symptoms": (
        "symptoms",
        _l("Managing breathlessness, nausea, constipation and delirium"),
    ),
    "dying-phase": ("symptoms", _l("Recognising the dying phase and caring in the last days")),
    "psychological": ("psychosocial", _l("Assessing psychological distress")),
    "social": ("psychosocial", _l("Assessing social needs and resources")),
    "spiritual": ("psychosocial", _l("Assessing spiritual needs and offering support")),
    "family-carers": ("family", _l("Supporting and teaching family carers")),
    "bereavement": ("family", _l("Bereavement support")),
    "bad-news": ("communication", _l("Breaking bad news")),
    "family-meetings": ("communication", _l("Leading family meetings")),
    "advance-care-planning": ("communication", _l("Advance care planning conversations")),
    "ethical-decisions": ("ethics", _l("Ethical decision-making at the end of life")),
    "goals-of-care": ("ethics", _l("Agreeing goals of care and resuscitation decisions")),
    "team-meetings": ("teamwork", _l("Interdisciplinary team meetings")),
    "care-coordination": ("teamwork", _l("Referral and co-ordination across settings")),
    "home-visits": ("services", _l("Organising home visits")),
    "service-organisation": ("services", _l("Organising a hospice or palliative care service")),
    "medicines-access": ("services", _l("Access to essential medicines, including opioids")),
    "quality": ("services", _l("Measuring and improving the quality of care")),
    "self-care": ("professional", _l("Self-care and support of staff")),
    "bedside-teaching": ("teaching", _l("Teaching at the bedside")),
    "train-the-trainer": ("teaching", _l("Training trainers (train-the-trainer)")),
}


@dataclass(frozen=True)
class Entry:
    """One competency as the lists show it: its code, domain and title (in the viewer's
    language for a shipped one; as written for an added one, with its author)."""

    code: str
    domain: str
    title: str
    added: Competency | None = None


def is_shipped(code: str) -> bool:
    return code in SHIPPED


def list_all() -> list[Entry]:
    """Every competency, shipped then added, each domain's together (the domains' order)."""
    entries = [Entry(code, domain, str(title)) for code, (domain, title) in SHIPPED.items()]
    entries += [Entry(c.code, c.domain, c.title, c) for c in agreement_queries.added_competencies()]
    order = list(DOMAINS)
    return sorted(entries, key=lambda e: order.index(e.domain) if e.domain in order else 99)


def grouped() -> list[tuple[str, list[Entry]]]:
    """(domain title, its competencies) for each domain that has any, in order."""
    groups: dict[str, list[Entry]] = {}
    for entry in list_all():
        groups.setdefault(entry.domain, []).append(entry)
    return [(str(DOMAINS.get(domain, domain)), entries) for domain, entries in groups.items()]


def title_of(code: str) -> str | None:
    """The title of the competency ``code``: translated when shipped, as written when
    added; None for a code no one knows."""
    return titles_of([code]).get(code)


def titles_of(codes) -> dict[str, str]:
    """The titles of several codes at once (one query for the added ones)."""
    codes = set(codes)
    titles = {code: str(SHIPPED[code][1]) for code in codes if code in SHIPPED}
    added = [code for code in codes if code.startswith(EXTENSION_PREFIX)]
    if added:
        titles.update(agreement_queries.added_titles_of(added))
    return titles


def is_known(code: str) -> bool:
    return title_of(code) is not None


def may_extend(user: User) -> bool:
    """Administrators, and the coordinators of an institution that hosts placements."""
    if is_programme_admin(user):
        return True
    ids = user.coordinated_institution_ids
    if not ids:
        return False
    return agreement_queries.hosts_placements(ids)


def add_competency(actor: User, domain: str, title: str) -> Competency:
    """Add a competency to the list, in a shipped domain, worded as ``actor`` writes it."""
    if not may_extend(actor):
        raise PermissionDenied(
            _l("Only administrators and the coordinators of host institutions add competencies.")
        )
    if domain not in DOMAINS:
        raise ValidationFailed(_l("Choose one of the listed domains."), "domain")
    title = _tidy(title)
    if not title:
        raise ValidationFailed(_l("Write the competency's title."), "title")
    if len(title) > MAX_TITLE:
        raise ValidationFailed(_l("At most %(max)d characters.", max=MAX_TITLE), "title")
    if _key(title) in _titles_in(domain):
        raise ValidationFailed(
            _l("“%(title)s” is already in the list under this domain.", title=title), "title"
        )
    # The code needs the row's number: a placeholder first, never seen outside this flush.
    competency = Competency(
        code=f"{EXTENSION_PREFIX}new-{secrets.token_hex(8)}",
        domain=domain,
        title=title,
        created_by_id=actor.id,
    )
    db.session.add(competency)
    db.session.flush()
    competency.code = f"{EXTENSION_PREFIX}{competency.id}"
    db.session.flush()
    return competency


def _tidy(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _key(title: str) -> str:
    return _tidy(title).casefold()


def _titles_in(domain: str) -> set[str]:
    """The titles a new one may not repeat: the added ones, and the shipped ones in the
    viewer's language and in English (the words someone may retype)."""
    shipped = [title for d, title in SHIPPED.values() if d == domain]
    keys = {_key(str(title)) for title in shipped}
    with force_locale("en"):
        keys |= {_key(str(title)) for title in shipped}
    return keys | {_key(title) for title in agreement_queries.added_titles_in(domain)}
