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
from app.learning.receipts import claim_receipt, settle_receipt
from app.outbox import (
    MalformedKey,
    answer,
    is_outbox_request,
    key_or_none,
    new_key,
    read_key,
    refusal,
    reply,
)
from app.quizzes import bp, queries, services
from app.quizzes.access import may_preview
from app.quizzes.answers import unanswered_numbers
from app.quizzes.models import Attempt
from app.quizzes.review import review_shown, when_shown
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
        "quizzes/quiz.html",
        course=course,
        quiz=quiz,
        status=status,
        review_note=when_shown(quiz, status.phase),
        can_preview=may_preview(current_user, course),
        locale=str(get_locale()),
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
        if is_outbox_request():
            return reply("refused", str(error), None, 403)
        return render_template(
            "errors/error.html", title=_("Not now"), message=str(error), status=403
        ), 403
    db.session.commit()
    url = url_for("quizzes.attempt", attempt_id=attempt.id)
    if is_outbox_request():  # a device storing the attempt's page to answer it offline
        return reply("stored", _("Attempt started."), url)
    return redirect(url, 303)


def _attempt_page(attempt: Attempt, status: int = 200, error: str | None = None, **extra):
    text = queries.get_quiz_text(attempt.quiz_id, attempt.locale) or abort(404)
    quiz = attempt.quiz
    values = {
        "attempt": attempt,
        "quiz": quiz,
        "course": quiz.course,
        "texts": text.texts,
        "questions": attempt.questions,
        "error": error,
        "locale": attempt.locale,
    }
    if attempt.submitted_at:
        score = score_attempt(attempt.questions, attempt.draw, attempt.answers or {})
        # What the quiz's review setting allows: the template leaves out the rest.
        shown = review_shown(attempt, queries.list_attempts(current_user, quiz))
        return render_template(
            "quizzes/review.html",
            attempt_points={item.question: item.points for item in score.items},
            show_key=shown.key,
            review_note=shown.note,
            **values,
        ), status
    return render_template(
        "quizzes/attempt.html",
        expired=services.is_expired(attempt),
        seconds_left=services.seconds_left(attempt),
        review_note=when_shown(quiz, attempt.phase),
        # Asked to confirm blank answers: the same key, so "Submit anyway" is one sending.
        submission_key=key_or_none(extra.get("submitted")) or new_key(),
        **values,
        **extra,
    ), status


@bp.route("/attempts/<int:attempt_id>")
@allow(SIGNED_IN)
def attempt(attempt_id: int):
    """An open attempt's questions (no answers in the page), or a submitted one's review."""
    return _attempt_page(load_or_404(Attempt, attempt_id))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@allow(SIGNED_IN)
def submit(attempt_id: int):
    """Score the answer sheet once; resending it shows the same review. With a
    ``submission_key`` the sheet is one sending: the same key again gets the first
    answer; another key on an attempt already scored is refused (409), so answers made
    on a second device are never silently dropped without a word."""
    attempt = load_or_404(Attempt, attempt_id)
    try:
        key = read_key(request.form)
    except MalformedKey as error:
        return refusal(str(error), 400)
    try:
        if _needs_confirmation(attempt):
            # Blank questions: ask first (the answers given stay in the form), unless the
            # learner already confirmed (the script's dialog or this page's button).
            services.read_answers(attempt, request.form)  # a malformed one is said first
            blank = unanswered_numbers(attempt.draw, request.form)
            return _attempt_page(attempt, submitted=request.form, unanswered=blank)
        claim = key and claim_receipt(current_user, key, "attempt")
        if claim and claim.duplicate:
            return answer("duplicate", claim.receipt.url, claim.receipt.message)
        outcome = services.submit_attempt(current_user, attempt, request.form)
    except services.TimeUp as error:
        db.session.rollback()
        if is_outbox_request():
            return reply("refused", str(error), None, 403)
        return _attempt_page(attempt, 400, str(error), submitted=request.form)
    except ValidationFailed as error:
        db.session.rollback()
        if is_outbox_request():
            return reply("refused", str(error), None, 422)
        return _attempt_page(attempt, 400, str(error), submitted=request.form)
    url = url_for("quizzes.attempt", attempt_id=attempt.id)
    if claim and not outcome.recorded:
        db.session.rollback()  # scored earlier under another key: this sheet is not stored
        return _submitted_elsewhere(url)
    message = _submitted_message(outcome)
    if claim:
        settle_receipt(claim, url, message)
    db.session.commit()
    return answer("stored", url, message)


def _submitted_message(outcome) -> str | None:
    """What the learner is told about a submission: None when this sending recorded
    nothing (a repeat of a sheet already scored shows its review without a word)."""
    parts = []
    if outcome.recorded:
        parts.append(_("Your answers were sent and scored."))
    if outcome.completed:
        parts.append(_("You completed the course. Your certificate is ready."))
    return " ".join(parts) or None


def _submitted_elsewhere(url: str):
    message = _(
        "This attempt was already submitted from another device or page; the answers on "
        "this device were not stored."
    )
    if is_outbox_request():
        return reply("refused", message, None, 409)
    flash(message, "error")
    return redirect(url, 303)


def _needs_confirmation(attempt: Attempt) -> bool:
    """An open attempt submitted with questions left blank and without confirming."""
    return (
        attempt.submitted_at is None
        and not services.is_expired(attempt)
        and not is_outbox_request()  # answered offline: the learner confirmed there
        and not request.form.get("confirm_unanswered")
        and bool(unanswered_numbers(attempt.draw, request.form))
    )


@bp.route("/courses/<course_key>/quizzes/<quiz_key>/statistics")
@allow(COURSE_STAFF)
def statistics(course_key: str, quiz_key: str):
    """Per question and language: how often it is answered right, and discrimination."""
    course, quiz = _quiz_or_404(course_key, quiz_key, STAFF)
    texts, text_locale = queries.texts_to_show(quiz, str(get_locale()))
    return render_template(
        "quizzes/statistics.html",
        course=course,
        quiz=quiz,
        items=queries.item_statistics(quiz.id),
        submitted=queries.count_submitted(quiz.id),
        texts=texts,
        text_lang=text_locale.replace("_", "-"),
        locale=str(get_locale()),
    )


@bp.route("/courses/<course_key>/quizzes/<quiz_key>/preview")
@allow(COURSE_STAFF)
def preview(course_key: str, quiz_key: str):
    """Every question of a quiz as learners see it, with the answer key and rationales:
    for the staff who may see its statistics. Nothing is recorded (no attempt)."""
    course, quiz = _quiz_or_404(course_key, quiz_key)
    if not may_preview(current_user, course):
        raise PermissionDenied(_("Only the course's teaching staff may preview its quizzes."))
    texts, text_locale = queries.texts_to_show(quiz, str(get_locale()))
    return render_template(
        "quizzes/preview.html",
        course=course,
        quiz=quiz,
        pools=quiz.definition["pools"],
        texts=texts,
        text_lang=text_locale.replace("_", "-"),
        review_note=when_shown(quiz, "quiz"),
        locale=str(get_locale()),
    )
