"""Studying a course: its page, enrolling, its lessons, marking them complete, its files.

These pages sit above courses, learning and quizzes, which they bring together (the
outline, progress and completion, the quizzes and the pre-test)."""

from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import READ, can, load_or_404
from app.auth.policies import SIGNED_IN, allow
from app.courses import access as course_rule
from app.courses import queries
from app.courses.content.lessons import FILE_TYPES
from app.courses.content_queries import get_course_content
from app.courses.models import Course
from app.exceptions import PermissionDenied
from app.extensions import db
from app.learning.completion import describe_rule, get_completion
from app.learning.enrolment import can_enrol, enrol_learner
from app.learning.progress import complete_lesson, record_lesson_visit
from app.learning.queries import get_enrolment, get_gain
from app.learning.receipts import claim_receipt, settle_receipt
from app.outbox import MalformedKey, answer, downloading, new_key, read_key, refusal
from app.quizzes import queries as quiz_queries
from app.study import bp, lesson_page
from app.study.queries import get_lesson_visit


def _locale() -> str:
    return str(get_locale())


@bp.route("/<course_key>")
@allow(SIGNED_IN)
def course(course_key: str):
    """A course: its modules and lessons, the learner's progress, where to resume."""
    course = load_or_404(Course, course_key)
    return render_template(
        "courses/course.html",
        outline=queries.get_course_outline(current_user, course),
        course=course,
        locale=_locale(),
        can_enrol=can_enrol(current_user, course),
        quizzes=quiz_queries.list_quiz_progress(current_user.id, course.id),
        completion=get_completion(current_user, course),
        gain=get_gain(current_user, course),
        requirements=describe_rule(course, _locale()),
        offline_manifest_url=_offline_manifest_url(course),
    )


def _offline_manifest_url(course) -> str | None:
    """The course's offline manifest, for an enrolled learner (the course page's "Make
    available offline" panel); None for anyone else."""
    if get_enrolment(current_user, course) is None:
        return None
    return url_for("offline.course_manifest", course_key=course.key)


@bp.route("/<course_key>/enrol", methods=["POST"])
@allow(SIGNED_IN)
def enrol(course_key: str):
    """Enrol in an open course, then start (or resume) it."""
    course = load_or_404(Course, course_key)
    try:
        enrol_learner(current_user, course)
    except PermissionDenied as error:
        flash(str(error), "error")
        return redirect(url_for("study.course", course_key=course.key), 303)
    db.session.commit()
    resume = queries.get_course_outline(current_user, course).resume_lesson()
    if resume is None:
        return redirect(url_for("study.course", course_key=course.key))
    return redirect(url_for("study.lesson", course_key=course.key, lesson_key=resume.key))


def _lesson_context(course_key: str, lesson_key: str):
    course = load_or_404(Course, course_key)
    outline = queries.get_course_outline(current_user, course)
    state = next((s for s in outline.states() if s.lesson.key == lesson_key), None)
    if state is None:
        abort(404)
    return course, outline, state


@bp.route("/<course_key>/lessons/<lesson_key>")
@allow(SIGNED_IN)
def lesson(course_key: str, lesson_key: str):
    """A lesson in the viewer's language (with fallbacks), previous / next, mark complete.
    Its content is kept per content version (app/study/lesson_page.py): 3 queries when warm,
    and a 304 for a repeat view of an unchanged page."""
    visit = get_lesson_visit(current_user, course_key) or abort(404)
    course = visit.course
    content = get_course_content(course, visit.version)
    index = content.find(lesson_key)
    if index is None:
        abort(404)
    if not course_rule.may_read(current_user, visit.enrolment):
        flash(_("Enrol in the course to read its lessons."), "info")
        return redirect(url_for("study.course", course_key=course.key))
    if visit.enrolment is not None and course.pre_test_key and not visit.pre_test_taken:
        flash(
            _("Please take the pre-test first: it shows what you know before the course."), "info"
        )
        pre_test = url_for("quizzes.quiz", course_key=course.key, quiz_key=course.pre_test_key)
        return redirect(pre_test)
    g.unread_notifications = visit.unread  # the header's badge, read with the course
    outline, state = lesson_page.learner_state(current_user, visit, content, index)
    if outline.enrolment is not None and not downloading():  # downloading is not reading
        record_lesson_visit(outline.enrolment, state.lesson, state.progress)
        db.session.commit()
    locale = _locale()
    etag = lesson_page.lesson_etag(current_user, visit, outline, state, locale)
    if etag and request.if_none_match.contains(etag):
        return lesson_page.not_modified(etag)
    page = lesson_page.rendered_lesson(course, content, index, locale) or abort(404)
    html = render_template(
        "courses/lesson.html",
        course=course,
        outline=outline,
        state=state,
        page=page,
        # Not in the ETag: a page shown again by a 304 carries a key not used yet, and
        # using it completes the lesson, which changes the ETag.
        submission_key=new_key(),
    )
    return lesson_page.conditional(make_response(html), etag)


@bp.route("/<course_key>/lessons/<lesson_key>/complete", methods=["POST"])
@allow(SIGNED_IN)
def complete(course_key: str, lesson_key: str):
    """Mark a lesson complete and go on to the next one. A ``submission_key`` sent
    twice (a resent form, a device's outbox) is stored once; ``offline_next`` (the
    service worker's) is ignored."""
    course, outline, state = _lesson_context(course_key, lesson_key)
    if outline.enrolment is None or _pre_test_pending(course):
        return refusal(_("Enrol in the course (and take its pre-test) first."), 403)
    try:
        key = read_key(request.form)
    except MalformedKey as error:
        return refusal(str(error), 400)
    claim = key and claim_receipt(current_user, key, "lesson")
    if claim and claim.duplicate:
        return answer("duplicate", claim.receipt.url, claim.receipt.message)
    outcome = complete_lesson(current_user, outline.enrolment, state.lesson)
    _previous, following = outline.neighbours(state.lesson)
    # The last lesson, or the step that completed the course: back to the course page,
    # which shows the progress, the certificate and the knowledge gained.
    if following is None or outcome.completed:
        url = url_for("study.course", course_key=course.key)
    else:
        url = url_for("study.lesson", course_key=course.key, lesson_key=following.key)
    parts = [_("Lesson marked as complete.")]
    if outcome.completed:  # a call of its own, not inside an f-string: extracted for translators
        parts.append(_("You completed the course. Your certificate is ready."))
    message = " ".join(parts)
    if claim:
        settle_receipt(claim, url, message)
    db.session.commit()
    return answer("stored", url, message)


def _pre_test_pending(course) -> bool:
    """Whether the course has a pre-test that the learner has not taken yet."""
    if not course.pre_test_key:
        return False
    return not quiz_queries.has_taken_pre_test(current_user.id, course.id, course.pre_test_key)


@bp.route("/<course_key>/files/<path:filename>")
@allow(SIGNED_IN)
def course_file(course_key: str, filename: str):
    """A file from the course's files/ folder (downloads, captions), for its readers:
    anyone may enrol in an open course; a cohort course's files are for its members."""
    course = load_or_404(Course, course_key)
    if not (can_enrol(current_user, course) or can(current_user, READ, course)):
        abort(403)
    if Path(filename).suffix.lower() not in FILE_TYPES:
        abort(404)
    folder = Path(current_app.config["COURSES_DIR"]) / course.key / "files"
    return send_from_directory(folder, filename, max_age=86400)
