"""Cascade of a programme: computing it with 5 generations and 20,000 learners on SQLite.

Target: the cascade of a programme with 5 generations and 20,000 learners computes in at
most 300 ms (``compute_cascade(Scope(programme_id=...))``, p95).
"""

import sys
from datetime import date, timedelta

from common import freeze_like_production, fresh_app, percentile, summary, timed
from sqlalchemy import insert, select

from app.auth.models import Profession, Role, RoleAssignment, User
from app.auth.passwords import hash_password
from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.db_types import utcnow
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.trainers.cascade import Scope, compute_cascade
from app.trainers.models import TrainerCertification

LEARNERS = 20_000
MASTERS = 5
TRAINEES_PER_TRAINER = [4, 4, 4, 3]  # generation g certifies this many each: 5, 20, 80, 320, 960
RUNS = 20
TARGET_MS = 300

COUNTRIES = {  # country: (timezone, locale, cities of the programme's institutions)
    "KZ": ("Asia/Almaty", "ru", ["Almaty", "Astana", "Shymkent", "Karaganda"]),
    "CN": ("Asia/Shanghai", "zh_Hans", ["Beijing", "Shanghai", "Chengdu"]),
    "SE": ("Europe/Stockholm", "sv", ["Stockholm", "Gothenburg", "Malmö"]),
}
MASTER_COUNTRIES = ["KZ", "KZ", "CN", "CN", "SE"]
REVOKED = 12  # certifications revoked in generations 3 and 4; a few of them re-certified
RECERTIFIED = 3


def _user(email: str, name: str, password: str, institution_id: int, now) -> dict:
    return {
        "email": email,
        "name": name,
        "password_hash": password,
        "profession": Profession.NURSE,
        "institution_id": institution_id,
        "active": True,
        "session_version": 1,
        "created_at": now,
    }


def populate() -> tuple[int, dict]:
    """The programme and its cascade; returns its id and the expected per-generation counts."""
    now = utcnow()
    password = hash_password("palliare-demo")
    institutions: dict[str, list[Institution]] = {}
    for country, (timezone, locale, cities) in COUNTRIES.items():
        institutions[country] = [
            Institution(
                name=f"{city} Palliative Care Centre",
                country=country,
                city=city,
                timezone=timezone,
                default_locale=locale,
            )
            for city in cities
        ]
    outside = Institution(  # not in the programme: its cohort must not count
        name="Bishkek Hospice", country="KG", city="Bishkek",
        timezone="Asia/Bishkek", default_locale="ru",
    )  # fmt: skip
    programme = Programme(
        name="Central Asia and beyond palliative care programme",
        funding_organisation="Example Foundation", target_trainees=20_000,
        starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31),
    )  # fmt: skip
    programme.institutions = [i for group in institutions.values() for i in group]
    db.session.add_all([programme, outside])
    db.session.flush()
    locale_of = {i.id: COUNTRIES[i.country][1] for group in institutions.values() for i in group}

    # The tree of trainers: (email, generation, certifier's email, institution id).
    trainers: list[tuple[str, int, str | None, int]] = []
    for m, country in enumerate(MASTER_COUNTRIES):
        trainers.append((f"master{m}@example.org", 0, None, institutions[country][m % 2].id))
    countries = {f"master{m}@example.org": c for m, c in enumerate(MASTER_COUNTRIES)}
    parents = list(trainers)
    for generation, fan_out in enumerate(TRAINEES_PER_TRAINER, start=1):
        children = []
        for p, (parent, _gen, _by, _inst) in enumerate(parents):
            country = countries[parent]
            for c in range(fan_out):
                email = f"trainer{generation}-{p}-{c}@example.org"
                countries[email] = country
                group = institutions[country]
                children.append((email, generation, parent, group[(p + c) % len(group)].id))
        trainers.extend(children)
        parents = children
    outsider = ("outsider@example.org", 4, trainers[-1][0], outside.id)

    # Every trainer runs one cohort at their institution, every third one a second one;
    # every fifth cohort has the lead's certifier as co-trainer.
    plan = []  # (join code, lead's e-mail, co-trainer's e-mail or None, institution id)
    for k, (email, _gen, by, inst) in enumerate(trainers):
        for _n in range(2 if k % 3 == 0 else 1):
            co = by if by and len(plan) % 5 == 0 else None
            plan.append((f"C{len(plan):07d}", email, co, inst))
    # 20,000 learners round-robin over the programme's cohorts, every tenth also in a
    # second one (counted once); the outside cohort has 300 learners of its own and 200
    # of the programme's.
    memberships = []  # (join code, learner number)
    for j in range(LEARNERS):
        first = j % len(plan)
        chosen = [first]
        if j % 10 == 0:
            second = (first * 7 + 3 + j // len(plan)) % len(plan)
            chosen.append(second if second != first else (first + 1) % len(plan))
        memberships += [(plan[c][0], j) for c in chosen]
    plan.append(("OUTSIDE0", outsider[0], None, outside.id))
    memberships += [("OUTSIDE0", j) for j in range(LEARNERS, LEARNERS + 300)]
    memberships += [("OUTSIDE0", j) for j in range(0, 2000, 10)]
    institution_of = {}
    for code, j in memberships:
        institution_of.setdefault(j, plan[int(code[1:]) if code[0] == "C" else -1][3])

    db.session.execute(
        insert(User),
        [
            _user(email, f"Trainer {k:04d}", password, inst, now)
            for k, (email, _gen, _by, inst) in enumerate([*trainers, outsider])
        ]
        + [
            _user(f"learner{j}@example.org", f"Learner {j:05d}", password, institution_of[j], now)
            for j in range(LEARNERS + 300)
        ],
    )
    ids = dict(db.session.execute(select(User.email, User.id)).all())
    db.session.execute(
        insert(RoleAssignment),
        [{"user_id": ids[t[0]], "role": Role.TRAINER, "created_at": now} for t in trainers],
    )

    certifications = []
    for k, (email, generation, by, _inst) in enumerate([*trainers, outsider]):
        certifications.append(
            {
                "user_id": ids[email],
                "certified_by_id": ids[by] if by else None,
                "course_id": None,
                "generation": generation,
                "certified_at": now - timedelta(days=400 - 70 * generation, minutes=k),
                "notes": "",
                "revoked_at": None,
                "revoked_by_id": None,
                "revoked_reason": None,
            }
        )
    candidates = [c for c in certifications[: len(trainers)] if c["generation"] >= 3]
    revoked = candidates[:: len(candidates) // REVOKED][:REVOKED]
    for certification in revoked:
        certification.update(
            revoked_at=now - timedelta(days=20),
            revoked_by_id=certification["certified_by_id"],
            revoked_reason="Did not meet the practice standard",
        )
    for certification in revoked[:RECERTIFIED]:  # certified again later: the latest counts
        certifications.append(
            {**certification, "certified_at": now - timedelta(days=5), "revoked_at": None,
             "revoked_by_id": None, "revoked_reason": None, "notes": "Re-certified"}
        )  # fmt: skip
    db.session.execute(insert(TrainerCertification), certifications)

    start = date.today() - timedelta(days=90)
    db.session.execute(
        insert(Cohort),
        [
            {
                "name": f"Cohort {code}",
                "institution_id": inst,
                "locale": locale_of.get(inst, "ru"),
                "starts_on": start,
                "ends_on": start + timedelta(days=120),
                "capacity": 1000,
                "join_code": code,
                "members_visible": False,
                "inactive_days": 14,
                "created_by_id": ids[lead],
                "created_at": now,
            }
            for code, lead, _co, inst in plan
        ],
    )
    cohort_ids = dict(db.session.execute(select(Cohort.join_code, Cohort.id)).all())
    links = []
    for code, lead, co, _inst in plan:
        links.append(
            {"cohort_id": cohort_ids[code], "user_id": ids[lead], "lead": True, "added_at": now}
        )
        if co:
            links.append(
                {"cohort_id": cohort_ids[code], "user_id": ids[co], "lead": False, "added_at": now}
            )
    db.session.execute(insert(CohortTrainer), links)
    db.session.execute(
        insert(CohortMember),
        [
            {
                "cohort_id": cohort_ids[code],
                "user_id": ids[f"learner{j}@example.org"],
                "joined_at": now - timedelta(days=60),
                "source": "code",
            }
            for code, j in memberships
        ],
    )
    db.session.commit()

    expected = {}
    for _email, generation, _by, _inst in trainers:
        expected[generation] = expected.get(generation, 0) + 1
    print(
        f"data: {len(programme.institutions)} institutions in {len(COUNTRIES)} countries, "
        f"{len(trainers):,} trainers over {len(expected)} generations "
        f"({', '.join(str(expected[g]) for g in sorted(expected))}), "
        f"{len(plan) - 1:,} cohorts, {len(links):,} cohort trainers, "
        f"{LEARNERS:,} learners in {len(memberships):,} memberships, "
        f"{len(revoked)} revoked ({RECERTIFIED} re-certified); outside the programme: 1 cohort"
    )
    revoked_by_generation = {}
    for certification in revoked[RECERTIFIED:]:
        g = certification["generation"]
        revoked_by_generation[g] = revoked_by_generation.get(g, 0) + 1
    return programme.id, {
        g: (expected[g] - revoked_by_generation.get(g, 0), revoked_by_generation.get(g, 0))
        for g in expected
    }


def main() -> int:
    app, _folder = fresh_app()
    with app.app_context():
        programme_id, expected = populate()
        scope = Scope(programme_id=programme_id)
        cascade = compute_cascade(scope)  # warm up
        freeze_like_production()
        times = [timed(lambda: compute_cascade(scope)) for _ in range(RUNS)]

    print(summary(f"cascade, {len(expected)} generations, {LEARNERS:,} learners, SQLite", times))
    p95 = percentile([t * 1000 for t in times], 0.95)
    print(
        f"cascade p95 target {TARGET_MS} ms: {'met' if p95 <= TARGET_MS else 'MISSED'} "
        f"({p95:.2f} / {TARGET_MS} = {p95 / TARGET_MS:.2f})"
    )
    print("generation  trainers  revoked  learners_direct  learners_reached")
    for g in cascade.generations:
        print(
            f"{g.number:>10}  {g.trainers:>8}  {g.revoked:>7}  {g.learners_direct:>15,}  "
            f"{g.learners_reached:>16,}"
        )
    print(f"total: {cascade.trainers_total:,} trainers, {cascade.learners_total:,} learners")

    ok = True
    reached = cascade.generations[0].learners_reached if cascade.generations else 0
    if reached != LEARNERS:
        print(f"WRONG: generation 0 reached {reached:,} learners, expected {LEARNERS:,}")
        ok = False
    got = {g.number: (g.trainers, g.revoked) for g in cascade.generations}
    if got != expected:
        print(f"WRONG: (trainers, revoked) by generation {got}, expected {expected}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
