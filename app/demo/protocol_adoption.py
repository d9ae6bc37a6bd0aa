"""The demo's translations and adoptions of the joint protocol on subcutaneous opioids
in the last days (its writing, review and publication are app/demo's protocols part):

- version 1 translated into Chinese in full, dose lines included, so Chinese readers see
  it in Chinese;
- into Russian all but one dose line, so Russian readers see it whole in English (held
  back) and the translators' overview puts it first;
- adopted by the Beijing and Singapore institutions, each with whom to ask.

Translations go through ``documents.save_translations`` (checked as a translator's are),
adoptions through ``adoption.record_adoption``. The translations are keyed by the
English text of the demo protocol: a segment whose English is not below stays
untranslated (and a dose line so left holds the language back: say so, never guess).
Idempotent: a language with a catalog already, an adoption already recorded, are left.
"""

from sqlalchemy import select

from app.auth.models import User
from app.courses import documents
from app.courses import queries as course_queries
from app.extensions import db
from app.institutions.models import Institution
from app.protocols import adoption_queries
from app.protocols.adoption import record_adoption
from app.protocols.translation import source_of

SLUG = "subcutaneous-opioids-last-days"
ADOPTERS = (  # institution, whom to ask (by e-mail)
    ("Beijing University Hospital", "coordinator@example.org"),
    ("Singapore Palliative Care Centre", "hannah.koh@example.org"),
)
TRANSLATORS = {"zh_Hans": "admin@example.org", "ru": "translator@example.org"}

ZH = {
    "Subcutaneous opioids in the last days of life": "生命最后几天的皮下阿片类药物",
    "Adults in the last days of life who can no longer take medicines by mouth.": (
        "生命最后几天、已不能口服药物的成人。"
    ),
    "When to use": "何时使用",
    "Use the subcutaneous route when the person can no longer swallow safely.": (
        "当患者已不能安全吞咽时，使用皮下途径。"
    ),
    "Doses": "剂量",
    "For a person not already taking an opioid:": "对于尚未使用阿片类药物的患者：",
    "Morphine 2.5 mg to 5 mg SC every 2 to 4 hours as needed.": (
        "吗啡 2.5 mg 至 5 mg 皮下注射，按需每 2 至 4 小时一次。"
    ),
    "If three or more doses are needed in 24 hours, start a syringe driver with "
    "morphine 10 mg over 24 hours.": (
        "如果 24 小时内需要三次或以上，开始使用注射泵，24 小时内给予吗啡 10 mg。"
    ),
    "Monitoring": "监测",
    "Review pain, breathing and sedation at least every 4 hours.": (
        "至少每 4 小时评估一次疼痛、呼吸和镇静程度。"
    ),
}
RU = {
    "Subcutaneous opioids in the last days of life": (
        "Подкожное введение опиоидов в последние дни жизни"
    ),
    "Adults in the last days of life who can no longer take medicines by mouth.": (
        "Взрослые в последние дни жизни, которые больше не могут принимать лекарства внутрь."
    ),
    "When to use": "Когда применять",
    "Use the subcutaneous route when the person can no longer swallow safely.": (
        "Используйте подкожный путь, когда человек больше не может безопасно глотать."
    ),
    "Doses": "Дозы",
    "For a person not already taking an opioid:": "Для человека, ещё не получающего опиоиды:",
    "Morphine 2.5 mg to 5 mg SC every 2 to 4 hours as needed.": (
        "Морфин 2,5–5 мг п/к каждые 2–4 часа при необходимости."
    ),
    "If three or more doses are needed in 24 hours, start a syringe driver with "
    "morphine 10 mg over 24 hours.": (
        "Если за 24 часа нужно три дозы или больше, начните шприцевой дозатор: "
        "морфин 10 мг за 24 часа."
    ),
    "Monitoring": "Наблюдение",
    "Review pain, breathing and sedation at least every 4 hours.": (
        "Оценивайте боль, дыхание и седацию не реже чем каждые 4 часа."
    ),
}


def ensure_protocol_adoption() -> dict | None:
    """Translate version 1 of the demo protocol and record two adoptions (see the
    module's docstring); None when the protocol is not there. Returns what it did."""
    protocol = adoption_queries.get_protocol(SLUG)
    published = adoption_queries.list_published(protocol.id) if protocol else []
    if not published:
        return None
    first = published[-1]
    done = {
        "zh_Hans": _translate(first, "zh_Hans", ZH, leave_out_a_dose=False),
        "ru": _translate(first, "ru", RU, leave_out_a_dose=True),
        "adoptions": _adopt(first),
    }
    db.session.flush()
    return done


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
