"""The cascade: who trained whom, generation by generation, and how many people it reached.

A trainer *reached* the learners of the cohorts they train (lead or co-trainer). Everyone
in a trainer's subtree is downstream of them, so "reached by generation g and everyone
downstream" is the set of learners reached by trainers of generation g or later. Counts
are of distinct people. With an institution or country filter, trainers count where they
are based and learners where they are. Two queries (certifications; trainer–learner
pairs), then sets.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select

from app.auth.models import User
from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.extensions import db
from app.institutions.models import Institution, programme_institutions
from app.trainers.queries import latest_certifications


@dataclass(frozen=True)
class Scope:
    """Which part of the cascade: a programme's institutions, one institution, a country."""

    programme_id: int | None = None
    institution_id: int | None = None
    country: str | None = None


@dataclass
class Node:
    user_id: int
    name: str
    institution: str
    country: str
    generation: int
    certified_by_id: int | None
    certified_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    # False: outside the institution/country filter, shown only on the path to someone in it.
    in_scope: bool = True
    children: list["Node"] = field(default_factory=list)
    direct: set[int] = field(default_factory=set)
    downstream_count: int = 0  # distinct learners reached by this trainer and their subtree

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass
class Generation:
    number: int
    trainers: int = 0  # certified and not revoked
    revoked: int = 0
    learners_direct: int = 0
    learners_reached: int = 0  # by this generation and everyone downstream


@dataclass
class Cascade:
    generations: list[Generation]
    roots: list[Node]
    learners_total: int
    trainers_total: int


def compute_cascade(scope: Scope) -> Cascade:
    """The cascade within ``scope``."""
    nodes = trainer_nodes(scope)
    for trainer_id, learner_id in _pairs(scope):  # learners already filtered by place
        if trainer_id in nodes:
            nodes[trainer_id].direct.add(learner_id)
    roots = _link(nodes)
    for root in roots:
        _downstream(root)
    generations = generations_of(list(nodes.values()))
    shown = [root for root in roots if _has_scope(root)]
    return Cascade(
        generations=generations,
        roots=shown,
        learners_total=generations[0].learners_reached if generations else 0,
        trainers_total=sum(g.trainers for g in generations),
    )


def _programme_institutions(scope: Scope):
    return select(programme_institutions.c.institution_id).where(
        programme_institutions.c.programme_id == scope.programme_id
    )


def trainer_nodes(scope: Scope) -> dict[int, Node]:
    """Every trainer's latest certification (in the programme, if the scope has one)."""
    certification, rank = latest_certifications()
    query = _trainers_in(scope, certification, rank).add_columns(
        certification.user_id,
        User.name,
        Institution.id,
        Institution.name,
        Institution.country,
        certification.generation,
        certification.certified_by_id,
        certification.certified_at,
        certification.revoked_at,
        certification.revoked_reason,
    )
    return {row[0]: _node(row, scope) for row in db.session.execute(query)}


def count_trainers(scope: Scope) -> list[Generation]:
    """Every generation down to the deepest in scope, with its trainers counted as
    ``generations_of`` counts them (active and revoked, where they are based), by the
    database: a dashboard needs the counts, not a node per trainer."""
    certification, rank = latest_certifications()
    active = certification.revoked_at.is_(None)
    columns = [certification.generation, active]
    if scope.institution_id is not None:
        columns.append(Institution.id == scope.institution_id)
    if scope.country is not None:
        columns.append(Institution.country == scope.country)
    query = _trainers_in(scope, certification, rank).add_columns(*columns, func.count())
    rows = db.session.execute(query.group_by(*columns)).all()
    if not rows:
        return []
    generations = [Generation(number) for number in range(max(row[0] for row in rows) + 1)]
    for generation, is_active, *in_place, count in rows:
        if not all(in_place):  # based elsewhere (or nowhere): on the path only, not counted
            continue
        if is_active:
            generations[generation].trainers += count
        else:
            generations[generation].revoked += count
    return generations


def _trainers_in(scope: Scope, certification, rank):
    """The trainers of ``scope`` (by their latest certification, with their user and
    institution joined), columns still to add: one rule for the tree and the counts."""
    query = (
        select()
        .select_from(certification)
        .join(User, User.id == certification.user_id)
        .outerjoin(Institution, Institution.id == User.institution_id)
        .where(rank == 1)
    )
    if scope.programme_id is not None:
        query = query.where(_in_programme(certification.user_id, scope))
    return query


def _in_programme(trainer_id, scope: Scope):
    """A programme's trainers: those based at its institutions, and those who teach a
    cohort there (a visiting trainer from another country counts too)."""
    teaching_there = (
        select(CohortTrainer.user_id)
        .join(Cohort, Cohort.id == CohortTrainer.cohort_id)
        .where(Cohort.institution_id.in_(_programme_institutions(scope)))
    )
    return or_(
        User.institution_id.in_(_programme_institutions(scope)),
        trainer_id.in_(teaching_there),
    )


def _node(row, scope: Scope) -> Node:
    user_id, name, inst_id, inst_name, country, gen, by, at, revoked, reason = row
    return Node(
        user_id,
        name,
        inst_name or "",
        country or "",
        gen,
        by,
        at,
        revoked,
        reason,
        in_scope=_matches(scope, inst_id, country),
    )


def _matches(scope: Scope, institution_id, country) -> bool:
    if scope.institution_id is not None and institution_id != scope.institution_id:
        return False
    return scope.country is None or country == scope.country


def _pairs(scope: Scope):
    """(trainer, learner) for every learner in every cohort in scope."""
    return db.session.execute(pairs_query(scope)).all()


def pairs_query(scope: Scope):
    query = select(
        CohortTrainer.user_id.label("trainer_id"), CohortMember.user_id.label("learner_id")
    ).join(CohortMember, CohortMember.cohort_id == CohortTrainer.cohort_id)
    if scope.programme_id is not None:
        query = query.join(Cohort, Cohort.id == CohortTrainer.cohort_id).where(
            Cohort.institution_id.in_(_programme_institutions(scope))
        )
    if scope.institution_id is not None or scope.country is not None:
        # "Learners where they are": a subquery of the place's people, which lets the
        # database start from them rather than from every trainer–learner pair.
        people = select(User.id)
        if scope.institution_id is not None:
            people = people.where(User.institution_id == scope.institution_id)
        if scope.country is not None:
            people = people.join(Institution, Institution.id == User.institution_id).where(
                Institution.country == scope.country
            )
        query = query.where(CohortMember.user_id.in_(people))
    return query


def _link(nodes: dict[int, Node]) -> list[Node]:
    roots = []
    for node in sorted(nodes.values(), key=lambda n: (n.generation, n.name)):
        parent = nodes.get(node.certified_by_id) if node.certified_by_id else None
        # Generations grow down the tree; a re-certification by someone one certified
        # (a revoked trainer certified again) must not close a loop that hides both.
        if parent is not None and parent.generation < node.generation:
            parent.children.append(node)
        else:
            roots.append(node)
    return roots


def _downstream(node: Node) -> set[int]:
    reached = set(node.direct)
    for child in node.children:
        reached |= _downstream(child)
    node.downstream_count = len(reached)
    return reached


def _has_scope(node: Node) -> bool:
    node.children = [child for child in node.children if _has_scope(child)]
    return node.in_scope or bool(node.direct) or bool(node.children)


def generations_of(nodes: list[Node]) -> list[Generation]:
    """Trainers are counted where they are based (in the filter); learners where they
    are, whoever trained them (a visiting trainer's learners count in their country)."""
    if not nodes:
        return []
    deepest = max(node.generation for node in nodes)
    generations = [Generation(number) for number in range(deepest + 1)]
    direct = defaultdict(set)
    for node in nodes:
        direct[node.generation] |= node.direct
        if not node.in_scope:
            continue
        if node.active:
            generations[node.generation].trainers += 1
        else:
            generations[node.generation].revoked += 1
    reached: set[int] = set()
    for generation in reversed(generations):
        reached |= direct[generation.number]
        generation.learners_direct = len(direct[generation.number])
        generation.learners_reached = len(reached)
    return generations
