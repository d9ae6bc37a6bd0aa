"""Learners' ways through a course, written as the rows the services would have left:
the enrolment, each lesson opened and completed, the pre-test, the module quizzes (with
their draws, answers and per-question results, scored by the quiz engine's own pure
functions), the post-test and its knowledge gain, and, where the learner's completion
rule is met, the completion with its certificate. Written in bulk (app/demo/bulk.py)."""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.db_types import utcnow
from app.demo.bulk import Batch
from app.extensions import db
from app.learning.certificates import new_code
from app.learning.completion import rule_for
from app.learning.models import Certificate, Completion, KnowledgeGain
from app.quizzes.models import Attempt, AttemptItem, Quiz
from app.quizzes.scoring import draw_questions, drawn_questions, score_attempt, scored_ids

MODELS = (Enrolment, LessonProgress, Attempt, AttemptItem, KnowledgeGain, Completion, Certificate)


@dataclass
class CourseBook:
    """What the generator needs of a course: lessons in order (with their module), the
    module quizzes in order, and the knowledge test taken before and after."""

    course: Course
    lessons: list[tuple[int, int]]  # (lesson id, module id)
    quizzes: list[Quiz]
    test: Quiz | None

    @classmethod
    def load(cls, key: str) -> "CourseBook | None":
        course = db.session.scalar(select(Course).where(Course.key == key))
        if course is None:
            return None
        lessons = db.session.execute(
            select(Lesson.id, Lesson.module_id)
            .where(Lesson.course_id == course.id, Lesson.retired_at.is_(None))
            .order_by(Lesson.position)
        ).all()
        quizzes = db.session.scalars(
            select(Quiz)
            .where(Quiz.course_id == course.id, Quiz.retired_at.is_(None))
            .order_by(Quiz.position)
        ).all()
        test = next((q for q in quizzes if q.key == course.pre_test_key), None)
        return cls(
            course, [tuple(row) for row in lessons], [q for q in quizzes if q is not test], test
        )

    def rule(self, profession) -> dict:
        """The completion rule a person of ``profession`` follows (their path included)."""
        return rule_for(SimpleNamespace(profession=profession), self.course)

    def quizzes_for(self, profession) -> list[Quiz]:
        """The module quizzes someone of ``profession`` takes: those of their rule."""
        keys = set(self.rule(profession).get("quizzes", []))
        return [quiz for quiz in self.quizzes if quiz.key in keys]

    def after_lesson(self, quiz: Quiz) -> int:
        """How many lessons come before ``quiz`` (it closes its module)."""
        positions = [
            i for i, (_lesson, module) in enumerate(self.lessons) if module == quiz.module_id
        ]
        return (positions[-1] + 1) if positions else len(self.lessons)


@dataclass
class Journey:
    """One learner in one course: enrolled; begun (or not); ``done`` lessons completed, a
    lesson every ``pace``; ``skill`` (0–1) their share of right answers before the course,
    ``growth`` what the course adds to it; ``finish`` whether they go all the way."""

    user_id: int
    name: str
    profession: str
    locale: str
    enrolled: datetime
    begun: datetime | None
    done: int
    pace: timedelta
    skill: float
    growth: float
    finish: bool = False
    completes_after: datetime | None = None  # a clause met later (workshop attendance)

    def lesson_at(self, n: int) -> datetime:
        return self.begun + timedelta(hours=1) + self.pace * n


class LearningWriter:
    """Collects the rows of many journeys; ``write`` inserts them."""

    def __init__(self, rng: random.Random, *, detailed: bool = True) -> None:
        self.rng, self.detailed, self.batch = rng, detailed, Batch(*MODELS)
        self.now = utcnow()

    def add(self, book: CourseBook, journey: Journey) -> None:
        last = self._lessons(book, journey)
        self.batch.add(
            Enrolment,
            {
                "user_id": journey.user_id,
                "course_id": book.course.id,
                "enrolled_at": journey.enrolled,
                "last_lesson_id": last[0] if last else None,
                "last_activity_at": last[1] if last else None,
            },
        )
        if journey.begun is None:
            return
        pre = self._attempt(book.test, journey, "pre", 1, journey.begun, journey.skill)
        passed_all, moment = self._module_quizzes(book, journey)
        if not journey.finish or journey.done < len(book.lessons):
            return
        post_at = max(moment, journey.lesson_at(journey.done)) + timedelta(days=1)
        share = min(0.98, journey.skill + journey.growth)
        post = self._attempt(book.test, journey, "post", 1, post_at, share, self.detailed)
        if pre and post:
            self._gain(book, journey, pre, post)
        needed = set(book.rule(journey.profession).get("quizzes", []))
        post_passed = post is not None and post["passed"]
        if passed_all and (book.course.post_test_key not in needed or post_passed):
            when = max(post_at + timedelta(minutes=20), journey.completes_after or post_at)
            self._complete(book, journey, when)

    def write(self, world) -> None:
        self.batch.write(world)

    def _lessons(self, book: CourseBook, journey: Journey) -> tuple[int, datetime] | None:
        """Lessons completed, and the next one opened; the last lesson and moment of activity."""
        if journey.begun is None:
            return None
        opened = book.lessons[: journey.done + (0 if journey.finish else 1)]
        for n, (lesson, _module) in enumerate(opened):
            moment = journey.lesson_at(n)
            completed = moment + timedelta(minutes=25) if n < journey.done else None
            self.batch.add(
                LessonProgress,
                {
                    "user_id": journey.user_id,
                    "lesson_id": lesson,
                    "started_at": moment,
                    "completed_at": completed,
                },
            )
        if not opened:
            return None
        return opened[-1][0], journey.lesson_at(len(opened) - 1)

    def _module_quizzes(self, book: CourseBook, journey: Journey) -> tuple[bool, datetime]:
        """Each module quiz after its module's lessons (a failed first try is taken again
        two days later); whether all were passed, and when the last was."""
        passed_all, moment = True, journey.begun
        if not self.detailed:
            return passed_all, moment
        for quiz in book.quizzes_for(journey.profession):
            after = book.after_lesson(quiz)
            if after > journey.done:
                return False, moment
            moment = journey.lesson_at(after - 1) + timedelta(hours=2)
            share = journey.skill + journey.growth * after / max(len(book.lessons), 1)
            attempt = self._attempt(quiz, journey, "quiz", 1, moment, share)
            if not attempt["passed"] and moment + timedelta(days=2) < self.now:
                moment += timedelta(days=2)
                attempt = self._attempt(
                    quiz, journey, "quiz", 2, moment, share + 0.2, journey.finish
                )
            passed_all = passed_all and attempt["passed"]
        return passed_all, moment

    def _attempt(self, quiz, journey, phase, number, when, share, must_pass=False) -> dict | None:
        """One submitted attempt with about ``share`` of the answers right (enough to
        pass if ``must_pass``), scored as the quiz engine scores it."""
        if quiz is None:
            return None
        if not self.detailed:
            return self._lean_attempt(quiz, journey, phase, number, when, share)
        draw = draw_questions(quiz.definition, self.rng)
        questions = drawn_questions(quiz.definition, draw)
        ids = scored_ids(draw)
        right = sum(self.rng.random() < min(share, 1.0) for _ in ids)
        if must_pass:
            right = max(right, math.ceil(quiz.pass_mark * len(ids) / 100))
        chosen = set(self.rng.sample(ids, right))
        answers = {qid: _response(questions[qid], qid in chosen, self.rng) for qid in ids}
        score = score_attempt(questions, draw, answers)
        percent = round(score.percent, 2)
        row = {
            "quiz_id": quiz.id,
            "user_id": journey.user_id,
            "phase": phase,
            "number": number,
            "locale": journey.locale,
            "draw": draw,
            "questions": questions,
            "started_at": when,
            "deadline_at": when + timedelta(minutes=quiz.time_limit_minutes)
            if quiz.time_limit_minutes
            else None,
            "submitted_at": when + timedelta(minutes=12 + len(ids)),
            "answers": answers,
            "score": score.points,
            "max_score": score.maximum,
            "percent": percent,
            "passed": percent >= quiz.pass_mark,
        }
        row["id"] = self.batch.add(Attempt, row)
        for item in score.items:
            self.batch.add(
                AttemptItem,
                {
                    "attempt_id": row["id"],
                    "quiz_id": quiz.id,
                    "question_key": item.question,
                    "locale": journey.locale,
                    "points": item.points,
                    "correct": item.correct,
                },
            )
        return row

    def _lean_attempt(self, quiz, journey, phase, number, when, share) -> dict:
        """An attempt with its score only (no draw, no answers): for the benchmarks' world
        of 100,000 learners, where only the reports read attempts."""
        percent = min(100.0, 100 * share)
        row = {
            "quiz_id": quiz.id,
            "user_id": journey.user_id,
            "phase": phase,
            "number": number,
            "locale": journey.locale,
            "draw": [],
            "questions": {},
            "started_at": when,
            "submitted_at": when + timedelta(minutes=20),
            "score": percent / 10,
            "max_score": 10.0,
            "percent": percent,
            "passed": percent >= quiz.pass_mark,
        }
        row["id"] = self.batch.add(Attempt, row)
        return row

    def _gain(self, book: CourseBook, journey: Journey, pre: dict, post: dict) -> None:
        self.batch.add(
            KnowledgeGain,
            {
                "user_id": journey.user_id,
                "course_id": book.course.id,
                "pre_attempt_id": pre["id"],
                "post_attempt_id": post["id"],
                "pre_percent": pre["percent"],
                "post_percent": post["percent"],
                "gain": post["percent"] - pre["percent"],
                "recorded_at": post["submitted_at"],
            },
        )

    def _complete(self, book: CourseBook, journey: Journey, when: datetime) -> None:
        """The completion under the learner's rule, and its certificate."""
        course = book.course
        completion_id = self.batch.add(
            Completion,
            {
                "user_id": journey.user_id,
                "course_id": course.id,
                "completed_at": when,
                "rule_version": course.completion_rule.get("version", 1),
                "rule": book.rule(journey.profession),
            },
        )
        self.batch.add(
            Certificate,
            {
                "completion_id": completion_id,
                "code": new_code(),
                "holder_name": journey.name,
                "course_titles": dict(course.titles),
                "cpd_hours": course.cpd_hours,
                "issued_at": when,
                # filled per institution once written (record_missing_issuers)
                "issuer_institution": None,
                "issuer_programmes": [],
            },
        )


def _response(question: dict, correct: bool, rng: random.Random):
    """A response to ``question``, right or wrong, as the answer sheet parser makes it."""
    kind = question["type"]
    if kind == "true-false":
        return question["answer"] is correct
    if kind == "numeric":
        return float(question["answer"]) + (0 if correct else 10 * question["tolerance"] + 10)
    right = [c["id"] for c in question["choices"] if c["correct"]]
    wrong = [c["id"] for c in question["choices"] if not c["correct"]]
    if kind == "single":
        return right[0] if correct or not wrong else rng.choice(wrong)
    if correct or not wrong:
        return sorted(right)
    return sorted(right[:-1] + [rng.choice(wrong)])
