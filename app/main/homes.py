"""The home page by role: one section per role a person holds (the learner's first), each
read in a fixed number of queries (app/main/queries.py) and shown by its own template
(app/templates/main/_<role>.html). A person who does not learn gets no learning section.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.auth.models import Role, User
from app.cohorts.matrix import is_inactive, member_status
from app.cohorts.models import Cohort
from app.courses import queries as course_queries
from app.courses.models import Course, Lesson
from app.dashboards import queries as dashboard_queries
from app.dashboards import report
from app.dashboards.glance import Glance, glance
from app.dashboards.suppression import Cell
from app.interface_coverage import Coverage, interface_coverage
from app.main import queries
from app.notifications import queries as notification_queries

STUCK_SHOWN = 10  # the trainer's home names at most this many stuck learners
COHORTS_SHOWN = 6  # and glances at this many of their cohorts (the newest)
RECENT_DAYS = 7  # the administrator's "recent activity" window


@dataclass
class Continue:
    """Where the learner picks up: a course and its lesson (None when all are done)."""

    course: Course
    lesson: Lesson | None
    percent: int
    started: bool  # has the learner opened a lesson of this course yet?


@dataclass
class LearnerHome:
    resume: Continue | None
    courses: list  # CatalogEntry of the courses they are enrolled in
    deadlines: list[queries.Deadline]
    certificates: list
    gain: tuple | None  # (KnowledgeGain, Course)


def learner_home(user: User, today: date) -> LearnerHome | None:
    """The learner's section, or None for someone who does not learn (no learner role,
    no enrolment, no cohort): 4 queries for them, 14 at most for a learner."""
    courses = [entry for entry in course_queries.list_catalog(user, None) if entry.enrolled]
    deadlines = queries.list_cohort_deadlines(user, today)
    if not (user.has_role(Role.LEARNER) or courses or deadlines):
        return None
    return LearnerHome(
        resume=_resume(user),
        courses=courses,
        deadlines=deadlines,
        certificates=queries.list_valid_certificates(user),
        gain=queries.get_latest_gain(user),
    )


def _resume(user: User) -> Continue | None:
    """The last lesson touched (or the next one not done after it) of the course to go
    on with: one query, then the course's outline (four)."""
    enrolment = queries.get_latest_enrolment(user)
    if enrolment is None:
        return None
    outline = course_queries.get_course_outline(user, enrolment.course)
    pending = [state for state in outline.states() if not state.completed]
    lesson = outline.resume_lesson() if pending else None
    started = any(state.started for state in outline.states())
    return Continue(enrolment.course, lesson, outline.percent, started)


@dataclass
class Stuck:
    """A learner with nothing done for the cohort's number of days, not yet completed."""

    cohort: Cohort
    user_id: int
    name: str
    last_activity: datetime | None


@dataclass
class TrainerHome:
    glances: list[Glance]
    more_cohorts: int
    stuck: list[Stuck] = field(default_factory=list)
    more_stuck: int = 0


def trainer_home(user: User, now: datetime) -> TrainerHome:
    """The cohorts ``user`` trains at a glance, and who in them is stuck: 3 queries."""
    cohorts = queries.list_cohorts_trained_by(user)
    by_id = {cohort.id: Glance(cohort) for cohort in cohorts}
    stuck = []
    for member in queries.list_member_activity(list(by_id)):
        found = by_id[member.cohort_id]
        last = max((m for m in (member.lesson_at, member.quiz_at) if m), default=None)
        status = member_status(member.completed, len(found.cohort.courses), last)
        found.members += 1
        setattr(found, status, getattr(found, status) + 1)
        limit = now - timedelta(days=found.cohort.inactive_days)
        if is_inactive(status, last, member.joined_at, limit):
            found.inactive += 1
            stuck.append(Stuck(found.cohort, member.user_id, member.name, last))
    # Longest silent first: who has never done anything, then the oldest activity.
    stuck.sort(key=lambda s: (s.last_activity is not None, s.last_activity or now, s.name))
    glances = list(by_id.values())
    return TrainerHome(
        glances=glances[:COHORTS_SHOWN],
        more_cohorts=max(0, len(glances) - COHORTS_SHOWN),
        stuck=stuck[:STUCK_SHOWN],
        more_stuck=max(0, len(stuck) - STUCK_SHOWN),
    )


@dataclass
class InstitutionHeadline:
    summary: queries.InstitutionSummary
    finished: Cell
    totals: dict[str, int]  # the glance's counts summed over the institution's cohorts


def coordinator_home(user: User, now: datetime) -> list[InstitutionHeadline]:
    """Per institution ``user`` coordinates, its dashboard's headline: people, people
    who finished, and its cohorts at a glance summed (1 query, then 5 per institution)."""
    headlines = []
    for summary in queries.list_coordinated_institutions(user):
        scope = dashboard_queries.Scope(
            None, institution_id=summary.institution.id, aggregate_only=False
        )
        glances = glance(dashboard_queries.list_cohorts_at(summary.institution.id), now)
        totals = {
            name: sum(getattr(g, name) for g in glances)
            for name in ("members", "not_started", "in_progress", "completed", "inactive")
        }
        finished = report.finished_headline([report.by_month(scope)])
        headlines.append(InstitutionHeadline(summary, finished, totals))
    return headlines


@dataclass
class ProgrammeHeadline:
    programme: object
    finished: Cell  # as the dashboard publishes it: suppressed or rounded


def funder_home(user: User) -> list[ProgrammeHeadline]:
    """Per programme ``user`` funds, the dashboard's headline (people who finished, as
    published to funders): 1 query, then 1 per programme."""
    return [
        ProgrammeHeadline(
            programme,
            report.finished_headline([report.by_month(dashboard_queries.Scope(programme.id))]),
        )
        for programme in queries.list_funded_programmes(user)
    ]


@dataclass
class LocaleCoverage:
    interface: Coverage
    content: queries.ContentCoverage | None


@dataclass
class TranslatorHome:
    locales: list[LocaleCoverage]
    held_back: list[queries.HeldBackLesson]


def translator_home(user: User) -> TranslatorHome:
    """Coverage of the translator's languages (the interface's catalogs, and the lessons
    as learners read them) and the lessons held back in them: 2 queries."""
    locales = sorted(user.translator_locales)
    content = queries.list_content_coverage(locales)
    return TranslatorHome(
        locales=[LocaleCoverage(interface_coverage(code), content.get(code)) for code in locales],
        held_back=queries.list_held_back_lessons(locales),
    )


@dataclass
class AdminHome:
    totals: queries.Totals
    outbox: notification_queries.OutboxSummary
    recent: queries.RecentActivity
    recent_days: int = RECENT_DAYS


def admin_home(now: datetime) -> AdminHome:
    """Totals, the e-mail outbox's health and the last week's activity: 6 queries."""
    return AdminHome(
        totals=queries.count_everything(),
        outbox=notification_queries.summarise_outbox(failed_limit=0),
        recent=queries.count_recent_activity(now - timedelta(days=RECENT_DAYS)),
    )
