"""The demo's translations and adoptions of the joint protocol on subcutaneous opioids
for breakthrough pain in the last days (its writing, review and publication are app/demo's
protocols part; its English words are app/demo/protocol_texts.py):

- version 1 translated into Chinese in full, dose lines included, so Chinese readers see
  it in Chinese;
- into Russian all but one dose line (the first: regular oral morphine while the patient
  can swallow), so Russian readers see it whole in English (held back) and the
  translators' overview puts it first;
- the Beijing adaptation's version 1 translated into Chinese in full too (its segments
  are the source's but for its title and the section it changes);
- version 1 adopted by the Beijing and Singapore institutions, each with whom to ask.

Translations go through ``documents.save_translations`` (checked as a translator's are:
every dose, fraction, ratio and interval of a ``::: dose`` line kept, markup kept),
adoptions through ``adoption.record_adoption``. The translations are keyed by the
English text of the demo protocol's segments: a segment whose English is not below stays
untranslated (and a dose line so left holds the language back: say so, never guess).
Idempotent: a language with a catalog already, an adoption already recorded, are left.
"""

from sqlalchemy import select

from app.auth.models import User
from app.courses import documents
from app.courses import queries as course_queries
from app.demo.protocol_translations import RU, ZH, ZH_ADAPTED
from app.extensions import db
from app.institutions.models import Institution
from app.protocols import adoption_queries
from app.protocols.adoption import record_adoption
from app.protocols.translation import source_of

SLUG = "subcutaneous-opioids-last-days"
ADAPTED_SLUG = f"{SLUG}-beijing"
ADOPTERS = (  # institution, whom to ask (by e-mail)
    ("Beijing University Hospital", "coordinator@example.org"),
    ("Singapore Palliative Care Centre", "hannah.koh@example.org"),
)
TRANSLATORS = {"zh_Hans": "admin@example.org", "ru": "translator@example.org"}


def ensure_protocol_adoption() -> dict | None:
    """Translate version 1 of the demo protocol (and of its Beijing adaptation) and
    record two adoptions (see the module's docstring); None when the protocol is not
    there. Returns what it did."""
    first = _first_published(SLUG)
    if first is None:
        return None
    adapted = _first_published(ADAPTED_SLUG)
    done = {
        "zh_Hans": _translate(first, "zh_Hans", ZH, leave_out_a_dose=False),
        "ru": _translate(first, "ru", RU, leave_out_a_dose=True),
        "adoptions": _adopt(first),
        "zh_Hans_adapted": (
            _translate(adapted, "zh_Hans", ZH | ZH_ADAPTED, leave_out_a_dose=False)
            if adapted is not None
            else 0
        ),
    }
    db.session.flush()
    return done


def _first_published(slug: str):
    """Version 1 (the first published) of the protocol at ``slug``, or None."""
    protocol = adoption_queries.get_protocol(slug)
    published = adoption_queries.list_published(protocol.id) if protocol else []
    return published[-1] if published else None


def _person(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def _translate(version, locale: str, known: dict, leave_out_a_dose: bool) -> int:
    """Save the known translations of ``version`` in ``locale`` (the first dose line
    left out when asked); 0 when the language has a catalog already."""
    source = source_of(version)
    if course_queries.latest_document_catalog(source.id, locale) is not None:
        return 0
    texts = [segment.text for _where, segment in source.segments]
    typed = {text: known[text] for text in texts if text in known}
    if leave_out_a_dose:
        first_dose = next((t for t in texts if t in source.critical()), None)
        typed.pop(first_dose, None)
    if not typed:
        return 0
    documents.save_translations(_person(TRANSLATORS[locale]), source, locale, typed)
    return len(typed)


def _adopt(version) -> int:
    """The two institutions adopt ``version`` from its effective date (once)."""
    admin = _person("admin@example.org")
    recorded = 0
    for name, email in ADOPTERS:
        institution = db.session.scalars(
            select(Institution).where(Institution.name == name)
        ).first()
        contact = _person(email)
        if institution is None or contact is None or admin is None:
            continue
        if adoption_queries.get_adoption(version.protocol_id, institution.id) is not None:
            continue
        day = version.effective_on or version.published_at.date()
        record_adoption(admin, institution, version, day, contact)
        recorded += 1
    return recorded
