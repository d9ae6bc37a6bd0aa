"""Plain helpers that make rows for tests: ``make_user(**overrides)`` and friends.

They commit (inside the test's outer transaction, which is still rolled back at the end),
so the rows exist before a request starts, as they would in real life.
"""

import itertools
from datetime import date
from functools import cache

from app.auth.models import Profession, Role, RoleAssignment, User
from app.auth.passwords import hash_password
from app.courses.models import Enrolment
from app.events import completions_changed, enrolments_changed
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.learning.certificates import issue_certificate
from app.learning.models import Completion

DEMO_PASSWORD = "palliare-demo"
_sequence = itertools.count(1)


@cache
def _demo_password_hash() -> str:
    """Argon2 is slow on purpose; hash the shared test password once per run."""
    return hash_password(DEMO_PASSWORD)


def make_institution(**overrides) -> Institution:
    n = next(_sequence)
    fields = {
        "name": f"Hospital {n}",
        "country": "KZ",
        "city": "Almaty",
        "timezone": "Asia/Almaty",
        "default_locale": "kk",
    }
    fields.update(overrides)
    institution = Institution(**fields)
    db.session.add(institution)
    db.session.commit()
    return institution


def make_programme(institutions=(), **overrides) -> Programme:
    n = next(_sequence)
    fields = {
        "name": f"Programme {n}",
        "funding_organisation": "A Foundation",
        "target_trainees": 100,
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2028, 12, 31),
    }
    fields.update(overrides)
    programme = Programme(**fields, institutions=list(institutions))
    db.session.add(programme)
    db.session.commit()
    return programme


def make_user(roles=(Role.LEARNER,), **overrides) -> User:
    """A user with ``roles``: each a Role, or (Role, scope) for coordinator/funder/translator."""
    n = next(_sequence)
    fields = {
        "email": f"user{n}@example.org",
        "name": f"User {n}",
        "profession": Profession.NURSE,
        "password_hash": _demo_password_hash(),
    }
    fields.update(overrides)
    user = User(**fields)
    for role in roles:
        user.role_assignments.append(_assignment(role))
    db.session.add(user)
    db.session.commit()
    return user


def _assignment(role) -> RoleAssignment:
    if isinstance(role, tuple):
        role, scope = role
        if role == Role.COORDINATOR:
            return RoleAssignment(role=role, institution_id=scope.id)
        if role == Role.FUNDER:
            return RoleAssignment(role=role, programme_id=scope.id)
        return RoleAssignment(role=role, locale=scope)
    return RoleAssignment(role=role)


def make_cohort(trainer, courses, institution=None, members=(), **overrides):
    """A cohort run by ``trainer`` (its lead) in ``courses``, with ``members`` enrolled."""
    from app.cohorts.services import CohortDetails, add_members, create_cohort

    fields = {
        "name": f"Cohort {next(_sequence)}",
        "institution": institution or trainer.institution,
        "courses": list(courses),
        "locale": "en",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2030, 12, 31),
        "capacity": 50,
    }
    fields.update(overrides)
    cohort = create_cohort(trainer, CohortDetails(**fields))
    add_members(cohort, list(members), "roster")
    db.session.commit()
    return cohort


def make_enrolment(user_id: int, course_id: int, **fields) -> Enrolment:
    """An enrolment made directly and announced as the services announce theirs
    (``app.events``), so that the reports count it."""
    enrolment = Enrolment(user_id=user_id, course_id=course_id, **fields)
    db.session.add(enrolment)
    db.session.flush()
    enrolments_changed.send(user_ids=[user_id])
    return enrolment


def make_completion(user_id: int, course_id: int, **fields) -> Completion:
    """A completion made directly (the completion rule is tested in tests/learning/ and
    tests/quizzes/), announced as ``record_progress`` announces its own."""
    fields = {"rule_version": 1, "rule": {}} | fields
    completion = Completion(user_id=user_id, course_id=course_id, **fields)
    db.session.add(completion)
    db.session.flush()
    completions_changed.send(user_ids=[user_id])
    return completion


def make_certificate(user, course):
    """A completion of ``course`` and its certificate, made directly."""
    completion = make_completion(user.id, course.id)
    certificate = issue_certificate(completion, user, course)
    db.session.add(certificate)
    db.session.flush()
    return certificate
