"""The rows of the Beijing programme at size (app/demo/beijing.py) as they are built:
people, cohorts, their trainers and members, collected in one ``Build`` with the ids
given to them (app/demo/bulk.py), written together."""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from app.auth.models import RoleAssignment, User
from app.codes import CODE_ALPHABET
from app.cohorts.models import Cohort, CohortMember, CohortTrainer, cohort_courses
from app.cohorts.services import CODE_LENGTH
from app.demo.bulk import Batch, World
from app.institutions.models import Institution, Programme, programme_institutions
from app.trainers.models import TrainerCertification

WRITTEN = (Institution, User, RoleAssignment, Cohort, CohortMember, TrainerCertification)
LINKS = (CohortTrainer, cohort_courses, programme_institutions)  # no ids of their own
NAMED_FIRST = ["liu.yang@example.org", "wu.hong@example.org"]  # generation 1 already


@dataclass
class Build:
    """What the builder made so far (ids and moments), for the next steps."""

    programme: Programme
    now: datetime
    rng: random.Random
    world: World = field(default_factory=World)
    batch: Batch = field(default_factory=lambda: Batch(*WRITTEN, *LINKS))
    password: str = ""
    named_first: list[str] = field(default_factory=lambda: list(NAMED_FIRST))
    institutions: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    masters: list[int] = field(default_factory=list)
    first: list[int] = field(default_factory=list)
    second: list[int] = field(default_factory=list)
    cohorts: list[dict] = field(default_factory=list)
    learners: list[int] = field(default_factory=list)
    finishers: list[int] = field(default_factory=list)  # of Foundations, earliest first


def add_person(build: Build, name, profession, institution, role, email=None) -> int:
    """A user row (and their role), the demo password; their id."""
    user_id = build.batch.add(
        User,
        {
            "email": "",
            "name": name,
            "password_hash": build.password,
            "profession": profession,
            "institution_id": institution,
            "locale": None,
            "timezone": None,
            "active": True,
            "session_version": 1,
            "created_at": build.now - timedelta(days=480),
        },
    )
    row = build.batch.rows[User][-1]
    row["email"] = (
        email or f"{name.lower().replace(' ', '.').replace('dr.', '')}.{user_id}@example.org"
    )
    build.batch.add(
        RoleAssignment,
        {"user_id": user_id, "role": role, "created_at": row["created_at"]},
    )
    build.names[user_id] = name
    build.world.professions[user_id] = profession
    return user_id


def add_cohort(build, name, institution, locale, starts_on, days) -> dict:
    """A cohort row (its course linked once the rows are written)."""
    build.batch.add(
        Cohort,
        {
            "name": name,
            "institution_id": institution,
            "locale": locale,
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=days),
            "capacity": 40,
            "join_code": "".join(build.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
            "members_visible": True,
            "inactive_days": 14,
            "created_at": moment(starts_on) - timedelta(days=20),
        },
    )
    cohort = build.batch.rows[Cohort][-1] | {"members": []}
    build.cohorts.append(cohort)
    return cohort


def add_trainer(build, cohort: dict, user_id: int, lead: bool) -> None:
    build.batch.add(
        CohortTrainer,
        {
            "cohort_id": cohort["id"],
            "user_id": user_id,
            "lead": lead,
            "added_at": cohort["created_at"],
        },
    )


def add_member(build, cohort: dict, user_id: int) -> None:
    joined = cohort["created_at"] + timedelta(days=build.rng.randint(1, 15))
    cohort["members"].append((user_id, joined))
    build.batch.add(
        CohortMember,
        {"cohort_id": cohort["id"], "user_id": user_id, "joined_at": joined, "source": "roster"},
    )


def moment(day: date, hours: int = 1) -> datetime:
    """A moment of ``day`` in Beijing's morning, in UTC."""
    return datetime.combine(day, time(hours), tzinfo=UTC)
