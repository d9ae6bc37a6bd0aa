"""The people and places of the demo world: institutions, programmes, accounts."""

from datetime import date, timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import Invitation, Profession, Role, User
from app.db_types import utcnow
from app.extensions import db
from app.institutions import services as institutions
from app.institutions.models import Institution, Programme

DEMO_PASSWORD = "palliare-demo"

INSTITUTIONS = [
    # name, country, city, time zone, default locale
    ("Singapore Palliative Care Centre", "SG", "Singapore", "Asia/Singapore", "en"),
    ("Beijing University Hospital", "CN", "Beijing", "Asia/Shanghai", "zh_Hans"),
    ("Almaty Regional Hospital", "KZ", "Almaty", "Asia/Almaty", "kk"),
    ("Luleå Hospice Team", "SE", "Luleå", "Europe/Stockholm", "sv"),
]

PROGRAMMES = [
    # name, funder, target, start, end, institutions
    (
        "Beijing Palliative Care Train-the-Trainer Programme",
        "Harbourside Care Foundation",
        1000,
        date(2025, 9, 1),
        date(2028, 8, 31),
        ["Singapore Palliative Care Centre", "Beijing University Hospital"],
    ),
    (
        "Kazakhstan–Sweden Hospice Partnership",
        "Nordic Palliative Care Fund",
        300,
        date(2026, 1, 1),
        date(2027, 12, 31),
        ["Almaty Regional Hospital", "Luleå Hospice Team"],
    ),
]

# e-mail, name, profession, institution, roles (role, scope), locale, time zone
ACCOUNTS = [
    (
        "admin@example.org",
        "Ada Tan",
        Profession.DOCTOR,
        "Singapore Palliative Care Centre",
        [(Role.ADMIN, None)],
        "en",
        None,
    ),
    (
        "funder@example.org",
        "Fiona Lim",
        Profession.OTHER,
        None,
        [(Role.FUNDER, PROGRAMMES[0][0]), (Role.FUNDER, PROGRAMMES[1][0])],
        "en",
        "Asia/Singapore",
    ),
    (
        "coordinator@example.org",
        "Wang Fang",
        Profession.OTHER_CLINICIAN,
        "Beijing University Hospital",
        [(Role.COORDINATOR, "Beijing University Hospital")],
        None,
        None,
    ),
    (
        "trainer@example.org",
        "Dr Rajesh Kumar",
        Profession.DOCTOR,
        "Singapore Palliative Care Centre",
        [(Role.TRAINER, None)],
        "en",
        None,
    ),
    (
        "learner@example.org",
        "Aigerim Nurlanovna",
        Profession.NURSE,
        "Almaty Regional Hospital",
        [(Role.LEARNER, None)],
        None,
        None,
    ),
    (
        "doctor@example.org",
        "Li Wei",
        Profession.DOCTOR,
        "Beijing University Hospital",
        [(Role.LEARNER, None)],
        None,
        None,
    ),
    (
        "translator@example.org",
        "Dana Sadykova",
        Profession.OTHER,
        "Almaty Regional Hospital",
        [(Role.TRANSLATOR, "kk"), (Role.TRANSLATOR, "ru")],
        "ru",
        None,
    ),
    # Observerships (app/demo/placements.py): the Singapore centre's coordinator, who runs
    # its placement offers, and the supervisor of its observer; the Almaty coordinator.
    (
        "host@example.org",
        "Grace Teo",
        Profession.OTHER_CLINICIAN,
        "Singapore Palliative Care Centre",
        [(Role.COORDINATOR, "Singapore Palliative Care Centre")],
        "en",
        None,
    ),
    (
        "hannah.koh@example.org",
        "Dr Hannah Koh",
        Profession.DOCTOR,
        "Singapore Palliative Care Centre",
        [(Role.TRAINER, None)],
        "en",
        None,
    ),
    (
        "gulnar.akhmetova@example.org",
        "Gulnar Akhmetova",
        Profession.OTHER_CLINICIAN,
        "Almaty Regional Hospital",
        [(Role.COORDINATOR, "Almaty Regional Hospital")],
        "ru",
        None,
    ),
    # More colleagues, so institution pages are not empty.
    (
        "zhang.min@example.org",
        "Zhang Min",
        Profession.NURSE,
        "Beijing University Hospital",
        [(Role.LEARNER, None)],
        "zh_Hans",
        None,
    ),
    (
        "chen.jing@example.org",
        "Chen Jing",
        Profession.SOCIAL_WORKER,
        "Beijing University Hospital",
        [(Role.LEARNER, None)],
        "zh_Hans",
        None,
    ),
    (
        "liu.yang@example.org",
        "Liu Yang",
        Profession.DOCTOR,
        "Beijing University Hospital",
        [(Role.TRAINER, None)],
        "zh_Hans",
        None,
    ),
    (
        "askar.beken@example.org",
        "Askar Bekenov",
        Profession.DOCTOR,
        "Almaty Regional Hospital",
        [(Role.LEARNER, None)],
        "ru",
        None,
    ),
    (
        "karin.lind@example.org",
        "Karin Lindqvist",
        Profession.NURSE,
        "Luleå Hospice Team",
        [(Role.TRAINER, None)],
        "sv",
        None,
    ),
    (
        "erik.nilsson@example.org",
        "Erik Nilsson",
        Profession.SOCIAL_WORKER,
        "Luleå Hospice Team",
        [(Role.LEARNER, None)],
        "sv",
        None,
    ),
    # Beijing colleagues: trainees of the train-the-trainer cohort, and ward learners.
    (
        "wu.hong@example.org",
        "Wu Hong",
        Profession.NURSE,
        "Beijing University Hospital",
        [(Role.LEARNER, None)],
        "zh_Hans",
        None,
    ),
    (
        "zhao.lei@example.org",
        "Zhao Lei",
        Profession.DOCTOR,
        "Beijing University Hospital",
        [(Role.LEARNER, None)],
        "zh_Hans",
        None,
    ),
    (
        "sun.li@example.org",
        "Sun Li",
        Profession.NURSE,
        "Beijing University Hospital",
        [(Role.LEARNER, None)],
        "zh_Hans",
        None,
    ),
    (
        "ma.jun@example.org",
        "Ma Jun",
        Profession.DOCTOR,
        "Beijing University Hospital",
        [(Role.LEARNER, None)],
        "zh_Hans",
        None,
    ),
    (
        "gao.yan@example.org",
        "Gao Yan",
        Profession.NURSE,
        "Beijing University Hospital",
        [(Role.LEARNER, None)],
        "zh_Hans",
        None,
    ),
]


def ensure_people() -> None:
    """Institutions, programmes, every demo account and an open invitation."""
    by_name = {row[0]: _ensure_institution(*row) for row in INSTITUTIONS}
    programmes = {
        row[0]: _ensure_programme(*row[:5], [by_name[n] for n in row[5]]) for row in PROGRAMMES
    }
    for email, name, profession, institution, roles, locale, timezone in ACCOUNTS:
        _ensure_account(
            email,
            name,
            profession,
            by_name.get(institution),
            roles,
            locale,
            timezone,
            by_name,
            programmes,
        )
    _ensure_pending_invitation()


def _ensure_institution(name, country, city, timezone, locale) -> Institution:
    existing = db.session.scalar(select(Institution).where(Institution.name == name))
    return existing or institutions.save_institution(None, name, country, city, timezone, locale)


def _ensure_programme(name, funder, target, starts, ends, members) -> Programme:
    existing = db.session.scalar(select(Programme).where(Programme.name == name))
    if existing:
        return existing
    return institutions.save_programme(
        None, name, funder, target, starts, ends, [i.id for i in members]
    )


def _ensure_account(
    email,
    name,
    profession,
    institution,
    roles,
    locale,
    timezone,
    institutions_by_name,
    programmes_by_name,
) -> User:
    user = auth.get_user_by_email(email)
    if user is not None:
        return user
    user = auth.create_user(
        email,
        name,
        DEMO_PASSWORD,
        profession,
        institution,
        roles=(),
        locale=locale,
        timezone=timezone,
    )
    for role, scope in roles:
        auth.grant_role(
            user,
            user,
            role,
            institution_id=institutions_by_name[scope].id if role == Role.COORDINATOR else None,
            programme_id=programmes_by_name[scope].id if role == Role.FUNDER else None,
            locale=scope if role == Role.TRANSLATOR else None,
        )
    return user


def _ensure_pending_invitation() -> None:
    """An open invitation from the trainer, so the invitations page shows one."""
    trainer = auth.get_user_by_email("trainer@example.org")
    email = "new.colleague@example.org"
    if db.session.scalar(select(Invitation).where(Invitation.email == email)):
        return
    invitation, _token = auth.invite_person(trainer, email, Role.LEARNER, trainer.institution)
    invitation.created_at = utcnow() - timedelta(days=2)
