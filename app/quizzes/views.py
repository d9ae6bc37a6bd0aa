"""Quiz pages: rules and past attempts, taking an attempt, its review, item statistics."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import STAFF, VIEW, load_or_404
from app.auth.policies import COURSE_STAFF, SIGNED_IN, allow
from app.courses.models import Course
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.learning.queries import get_enrolment
from app.quizzes import bp, queries, services
from app.quizzes.models import Attempt
from app.quizzes.scoring import score_attempt


def _quiz_or_404(course_key: str, quiz_key: str, action: str = VIEW):
    """A course's quiz: the course's rule decides (``action`` on the course)."""
    course = load_or_404(Course, course_key, action)
    quiz = queries.get_quiz(course.id, quiz_key) or abort(404)
    return course, quiz


@bp.route("/courses/<course_key>/quizzes/<quiz_key>")
@allow(SIGNED_IN)
def quiz(course_key: str, quiz_key: str):
    """A quiz's rules, the learner's attempts, and Start (or why not now)."""
    course, quiz = _quiz_or_404(course_key, quiz_key)
    status = services.quiz_status(current_user, quiz, get_enrolment(current_user, course))
    return render_template(
        "quizzes/quiz.html", course=course, quiz=quiz, status=status, locale=str(get_locale())
    )


@bp.route("/courses/<course_key>/quizzes/<quiz_key>/start", methods=["POST"])
@allow(SIGNED_IN)
def start(course_key: str, quiz_key: str):
    """Start an attempt (or continue the open one) and show its questions."""
    course, quiz = _quiz_or_404(course_key, quiz_key)
    enrolment = get_enrolment(current_user, course)
    try:
        attempt = services.start_attempt(current_user, quiz, enrolment, str(get_locale()))
    except PermissionDenied as error:
        return render_template(
            "errors/error.html", title=_("Not now"), message=str(error), status=403
        ), 403
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id), 303)


def _attempt_page(attempt: Attempt, status: int = 200, error: str | None = None, submitted=None):
    text = queries.get_quiz_text(attempt.quiz_id, attempt.locale) or abort(404)
    template = "quizzes/review.html" if attempt.submitted_at else "quizzes/attempt.html"
    points = {}
    if attempt.submitted_at:
        score = score_attempt(attempt.questions, attempt.draw, attempt.answers or {})
        points = {item.question: item.points for item in score.items}
    return render_template(
        template,
        attempt=attempt,
        quiz=attempt.quiz,
        course=attempt.quiz.course,
        texts=text.texts,
        questions=attempt.questions,
        expired=services.is_expired(attempt),
        error=error,
        submitted=submitted,
        locale=attempt.locale,
        attempt_points=points,
        # The knowledge test's key stays hidden until the final test is passed, so that
        # the pre-test cannot teach the answers to the post-test.
        show_key=attempt.phase == "quiz" or (attempt.phase == "post" and bool(attempt.passed)),
    ), status


@bp.route("/attempts/<int:attempt_id>")
@allow(SIGNED_IN)
def attempt(attempt_id: int):
    """An open attempt's questions (no answers in the page), or a submitted one's review."""
    return _attempt_page(load_or_404(Attempt, attempt_id))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@allow(SIGNED_IN)
def submit(attempt_id: int):
    """Score the answer sheet once; resending it shows the same review."""
    attempt = load_or_404(Attempt, attempt_id)
    try:
        outcome = services.submit_attempt(current_user, attempt, request.form)
    except ValidationFailed as error:
        db.session.rollback()
        return _attempt_page(attempt, 400, str(error), request.form)
    db.session.commit()
    if outcome.completed:
        flash(_("You completed the course. Your certificate is ready."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id), 303)


@bp.route("/courses/<course_key>/quizzes/<quiz_key>/statistics")
@allow(COURSE_STAFF)
def statistics(course_key: str, quiz_key: str):
    """Per question and language: how often it is answered right, and discrimination."""
    course, quiz = _quiz_or_404(course_key, quiz_key, STAFF)
    text = queries.get_quiz_text(quiz.id, str(get_locale()))
    return render_template(
        "quizzes/statistics.html",
        course=course,
        quiz=quiz,
        items=queries.item_statistics(quiz.id),
        submitted=queries.count_submitted(quiz.id),
        texts=text.texts if text else {},
        locale=str(get_locale()),
    )
