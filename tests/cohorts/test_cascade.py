"""Trainer certification and the cascade, checked against counts made independently."""

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from app.auth.models import Role
from app.auth.permissions import REVOKE, can
from app.cohorts.models import CohortMember
from app.dashboards.queries import count_generations
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.trainers import certification
from app.trainers import queries as trainer_queries
from app.trainers.cascade import Scope, compute_cascade
from app.trainers.models import TrainerCertification
from tests.factories import (
    make_cohort,
    make_completion,
    make_institution,
    make_programme,
    make_user,
)


def _complete(user, course):
    make_completion(user.id, course.id)


def test_certification_follows_the_pathway(world, trainer_course):
    admin, master, trainee = world["admin"], world["trainer"], world["learner"]
    with pytest.raises(PermissionDenied):
        certification.certify_master_trainer(master, master)
    root = certification.certify_master_trainer(admin, master)
    assert root.generation == 0 and root.certified_by_id is None
    observed = date.today() - timedelta(days=3)
    with pytest.raises(ValidationFailed, match="not completed"):
        certification.certify_trainer(master, trainee, observed, "")
    _complete(trainee, trainer_course)
    assert [u.id for u, _c in trainer_queries.trainees_ready(master)] == [trainee.id]
    with pytest.raises(PermissionDenied):  # not certified yet: cannot sign off others
        certification.certify_trainer(world["co_trainer"], trainee, observed, "")
    with pytest.raises(ValidationFailed):
        certification.certify_trainer(master, trainee, date.today() + timedelta(days=2), "")
    stranger = make_user(institution=world["here"])  # completed the track, not in a cohort of
    _complete(stranger, trainer_course)  # the master's: someone else signs them off
    with pytest.raises(PermissionDenied, match="your own cohorts"):
        certification.certify_trainer(master, stranger, observed, "")
    record = certification.certify_trainer(master, trainee, observed, "Taught a ward round.")
    assert (record.generation, record.certified_by_id) == (1, master.id)
    assert record.course_id == trainer_course.id and Role.TRAINER in trainee.roles
    assert trainer_queries.trainees_ready(master) == []
    with pytest.raises(ValidationFailed, match="already"):
        certification.certify_trainer(master, trainee, observed, "")


def test_revocation_needs_a_reason_and_a_right_and_can_be_followed_by_a_new_one(
    world, trainer_course
):
    admin, master, trainee = world["admin"], world["trainer"], world["learner"]
    certification.certify_master_trainer(admin, master)
    _complete(trainee, trainer_course)
    record = certification.certify_trainer(master, trainee, date.today(), "")
    with pytest.raises(PermissionDenied):
        certification.revoke_certification(world["other_coordinator"], record, "No")
    master_record = trainer_queries.current_certification(master.id)
    assert not can(world["coordinator"], REVOKE, master_record)  # admins only
    assert can(world["admin"], REVOKE, master_record)
    with pytest.raises(ValidationFailed):
        certification.revoke_certification(master, record, "  ")
    certification.revoke_certification(world["coordinator"], record, "Left clinical practice")
    assert record.revoked_reason == "Left clinical practice" and Role.TRAINER not in trainee.roles
    assert certification.active_certification(trainee.id) is None
    again = certification.certify_trainer(master, trainee, date.today(), "Back in practice")
    assert trainer_queries.current_certification(trainee.id) is again and again.active


def _random_cascade(rng, institutions, course, admin):
    """A random forest of certified trainers over 4 generations, each running a cohort of
    random learners (some learners in two cohorts); returns what the test needs."""
    trainers, parent, generation = [], {}, {}
    for g in range(4):
        for _ in range(rng.randint(2, 4) if g == 0 else rng.randint(3, 7)):
            institution = rng.choice(institutions)
            user = make_user(roles=[Role.TRAINER], institution=institution)
            by = None if g == 0 else rng.choice([t for t in trainers if generation[t.id] == g - 1])
            db.session.add(
                TrainerCertification(
                    user_id=user.id, certified_by_id=by.id if by else None, generation=g,
                    certified_at=utcnow(), notes="",
                )
            )  # fmt: skip
            trainers.append(user)
            parent[user.id], generation[user.id] = (by.id if by else None), g
    learners = [make_user(institution=rng.choice(institutions)) for _ in range(60)]
    taught = {}
    for trainer in trainers:
        cohort = make_cohort(trainer, [course], capacity=100)  # at the trainer's institution
        group = rng.sample(learners, rng.randint(0, 12))
        if group:
            db.session.execute(
                insert(CohortMember),
                [{"cohort_id": cohort.id, "user_id": u.id, "joined_at": utcnow(),
                  "source": "roster"} for u in group],
            )  # fmt: skip
        taught[trainer.id] = {u.id for u in group}
    db.session.flush()
    return trainers, parent, generation, taught, {u.id: u for u in learners + trainers}


def test_cascade_counts_equal_an_independent_count(world, trainer_course):
    rng = random.Random(5)
    institutions = [make_institution(country=c) for c in ("CN", "CN", "SG", "KZ")]
    programme = make_programme(institutions[:3])
    trainers, parent, generation, taught, people = _random_cascade(
        rng, institutions, trainer_course, world["admin"]
    )
    revoked = rng.choice(trainers)
    revoked_record = trainer_queries.current_certification(revoked.id)
    revoked_record.revoked_at, revoked_record.revoked_reason = utcnow(), "Test"
    db.session.flush()

    for scope in (Scope(), Scope(programme_id=programme.id), Scope(country="CN"),
                  Scope(institution_id=institutions[0].id)):  # fmt: skip
        expected = _expected(scope, trainers, generation, taught, people, programme, institutions)
        result = compute_cascade(scope)
        got = [(g.number, g.trainers + g.revoked, g.learners_direct, g.learners_reached)
               for g in result.generations]  # fmt: skip
        assert got == expected, scope
        counted = [(g.number, g.trainers, g.revoked, g.learners_direct, g.learners_reached)
                   for g in count_generations(scope)]  # fmt: skip
        assert counted == [(g.number, g.trainers, g.revoked, g.learners_direct, g.learners_reached)
                           for g in result.generations], scope  # fmt: skip
        active = sum(g.trainers for g in result.generations)
        in_scope = [t for t in trainers if _trainer_in(scope, t, programme, institutions)]
        assert active == len([t for t in in_scope if t.id != revoked.id])
    nodes = _flatten(compute_cascade(Scope()).roots)
    for trainer in trainers:
        subtree = {t.id for t in trainers if _descends(t.id, trainer.id, parent)}
        reached = set().union(*(taught[t] for t in subtree))
        assert nodes[trainer.id].downstream_count == len(reached)
    assert not nodes[revoked.id].active


def _in_programme(scope, trainer, institutions):
    """Each trainer here teaches at their own institution, so being based in the programme
    and teaching in it are the same."""
    return not scope.programme_id or trainer.institution.id in {i.id for i in institutions[:3]}


def _trainer_in(scope, trainer, programme, institutions):
    inst = trainer.institution
    if not _in_programme(scope, trainer, institutions):
        return False
    if scope.institution_id and inst.id != scope.institution_id:
        return False
    return not scope.country or inst.country == scope.country


def _expected(scope, trainers, generation, taught, people, programme, institutions):
    """Per generation: trainers based in the filter, learners (in the filter) they taught,
    and those taught by that generation and every later one."""
    in_tree = [t for t in trainers if _in_programme(scope, t, institutions)]
    counted = [t for t in in_tree if _trainer_in(scope, t, programme, institutions)]

    def learners_of(trainer):
        return {i for i in taught[trainer.id] if _learner_in(scope, people[i])}

    deepest = max((generation[t.id] for t in in_tree), default=-1)
    rows = []
    for g in range(deepest + 1):
        at = [t for t in in_tree if generation[t.id] == g]
        later = [t for t in in_tree if generation[t.id] >= g]
        direct = set().union(*(learners_of(t) for t in at)) if at else set()
        reached = set().union(*(learners_of(t) for t in later)) if later else set()
        count = len([t for t in counted if generation[t.id] == g])
        rows.append((g, count, len(direct), len(reached)))
    return rows


def _learner_in(scope, learner):
    if scope.institution_id and learner.institution_id != scope.institution_id:
        return False
    return not scope.country or learner.institution.country == scope.country


def _descends(user_id, ancestor_id, parent):
    while user_id is not None:
        if user_id == ancestor_id:
            return True
        user_id = parent[user_id]
    return False


def _flatten(roots):
    found, stack = {}, list(roots)
    while stack:
        node = stack.pop()
        found[node.user_id] = node
        stack.extend(node.children)
    return found


def test_a_visiting_trainer_counts_in_the_programme_they_teach_in(world, trainer_course):
    """A trainer based in a partner country who teaches a cohort at a programme
    institution is in that programme's cascade, with the learners they taught there."""
    visitor = world["co_trainer"]  # based at "there", which shares a programme with "here"
    programme = make_programme([world["here"]])  # a programme of "here" only
    certification.certify_master_trainer(world["admin"], visitor)
    services_cohort = make_cohort(visitor, [trainer_course], world["here"])
    db.session.add(CohortMember(cohort_id=services_cohort.id, user_id=world["outsider"].id,
                                joined_at=utcnow(), source="code"))  # fmt: skip
    db.session.flush()
    result = compute_cascade(Scope(programme_id=programme.id))
    assert [(g.trainers, g.learners_reached) for g in result.generations] == [(1, 1)]


def test_the_cascade_filter_cannot_name_an_institution_outside_the_programme(client, login):
    """A funder's ``?institution=`` must lie within the programme: another institution is
    refused as an unknown one is (404), and its name never appears."""
    mine = make_institution(default_locale="en")
    programme = make_programme([mine])
    theirs = make_institution(name="Hidden Hospice of Elsewhere", default_locale="en")
    make_programme([theirs])
    db.session.commit()
    login(make_user(roles=[(Role.FUNDER, programme)]))
    base = f"/cascade?programme={programme.id}&lang=en"
    assert client.get(f"{base}&institution={mine.id}").status_code == 200
    outside, unknown = (
        client.get(f"{base}&institution={theirs.id}"),
        client.get(f"{base}&institution=99999"),
    )
    assert outside.status_code == unknown.status_code == 404
    assert "Hidden Hospice" not in outside.get_data(as_text=True)


def test_the_cascade_offers_a_funder_only_the_institutions_of_their_programmes(client, login):
    mine = make_institution(name="Our Own Hospice", default_locale="en")
    programme = make_programme([mine])
    make_programme([make_institution(name="Hidden Hospice of Elsewhere", default_locale="en")])
    db.session.commit()
    login(make_user(roles=[(Role.FUNDER, programme)]))
    page = client.get(f"/cascade?programme={programme.id}&lang=en").get_data(as_text=True)
    assert "Our Own Hospice" in page and "Hidden Hospice" not in page
