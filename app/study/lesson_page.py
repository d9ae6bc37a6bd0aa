"""The lesson page's parts: the content (the breadcrumb, the lesson and the pager, rendered
once per lesson, language and content version and kept in the process), the learner's own
state (progress, the header), and the ETag that lets a browser's repeat view get a 304.

The ETag is made of everything the page shows, never of the HTML (whose CSRF token is
signed anew on each request): the content version, the lesson and language, the code that
renders it (``build_id``), who is signed in (id, name, roles: the menu), their unread
count, enrolment and progress, and the session's CSRF token. A page carrying flash
messages, or the mark that tells a shared device whose pages to forget (someone signed out
here: ``app.outbox.signed_out_mark``), has no ETag: each shows once, and a 304 would keep
the browser's copy without it.
"""

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template, request, session, url_for
from markupsafe import Markup

from app.courses.content_cache import rendered_lessons
from app.courses.content_queries import CourseContent, LessonSnapshot, get_lesson_text_row
from app.courses.labels import fill_labels
from app.courses.models import Enrolment, LessonProgress
from app.outbox import SIGNED_OUT_MARK
from app.study.queries import LessonVisit, list_course_progress


@dataclass
class LessonState:
    lesson: LessonSnapshot
    completed: bool = False
    progress: LessonProgress | None = None


@dataclass
class LearnerOutline:
    """What the page shows of the learner's course: enrolled or not, and how far."""

    enrolment: Enrolment | None
    percent: int


@dataclass(frozen=True)
class RenderedLesson:
    title: str
    article: Markup  # the breadcrumb and the lesson
    pager: Markup  # previous / next
    next_url: str  # the next lesson, or the course page after the last one (offline_next)


def learner_state(user, visit: LessonVisit, content: CourseContent, index: int):
    """The learner's outline (enrolment, percent) and state in the lesson: one query."""
    progress = list_course_progress(user.id, visit.course.id) if visit.enrolment else {}
    done = sum(1 for lesson in content.lessons if (p := progress.get(lesson.id)) and p.completed_at)
    percent = round(100 * done / len(content.lessons)) if content.lessons else 0
    lesson = content.lessons[index]
    row = progress.get(lesson.id)
    state = LessonState(lesson, row is not None and row.completed_at is not None, row)
    return LearnerOutline(visit.enrolment, percent), state


@dataclass(frozen=True)
class _ContentState:  # the shared part's ``state``: the lesson, never the learner's progress
    lesson: LessonSnapshot


def rendered_lesson(course, content: CourseContent, index: int, locale: str):
    """The lesson's shared part in ``locale`` (None: no text): kept per content version."""
    lesson = content.lessons[index]
    key = (content.version, lesson.id, locale, request.script_root)
    return rendered_lessons.get_or_make(key, lambda: _render(course, content, index, locale))


def _render(course, content: CourseContent, index: int, locale: str):
    lesson = content.lessons[index]
    text = get_lesson_text_row(lesson.id, locale, course.source_locale)
    if text is None:
        return None
    previous, following = content.neighbours(index)
    context = {"course": course, "state": _ContentState(lesson), "locale": locale}
    article = render_template(
        "courses/_lesson_article.html", text=text, body=fill_labels(text.html), **context
    )
    pager = render_template(
        "courses/_lesson_pager.html", previous=previous, following=following, **context
    )
    next_url = (
        url_for("study.lesson", course_key=course.key, lesson_key=following.key)
        if following
        else url_for("study.course", course_key=course.key)
    )
    return RenderedLesson(lesson.title(locale), Markup(article), Markup(pager), next_url)  # noqa: S704


def lesson_etag(user, visit: LessonVisit, outline: LearnerOutline, state, locale: str):
    """The ETag of the page as the learner would see it now; None when it shows flash
    messages or the signed-out mark."""
    if session.get("_flashes") or session.get(SIGNED_OUT_MARK):
        return None
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    limit = config.get("WTF_CSRF_TIME_LIMIT")
    # A signed CSRF token expires ``limit`` seconds after it is made: a 304 may re-show a
    # page only in the half-period it was made in, so its form stays valid for half of it.
    period = int(time.time() // (limit / 2)) if limit else 0
    parts = (
        build_id(),
        config.get("DEVELOPMENT"),
        bool(config.get("MAIL_COPY_DIR")),
        visit.version,
        state.lesson.id,
        locale,
        request.script_root,
        request.query_string,
        user.id,
        user.name,
        sorted(user.roles),
        visit.unread,
        outline.enrolment is not None,
        outline.percent,
        state.completed,
        session.get(field),
        period,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


_BUILD: str | None = None
_BUILT_FROM = (".py", ".html", ".css", ".js", ".svg", ".mo")


def build_id() -> str:
    """What identifies the code, templates, static files and compiled catalogs this
    process serves (their names, sizes and modification times), computed once: a deploy
    changes the lesson page's ETags."""
    global _BUILD
    if _BUILD is None:
        root = Path(__file__).resolve().parents[2]
        digest = hashlib.sha256()
        for folder in (root / "app", root / "translations"):
            for path in sorted(folder.rglob("*")):
                if path.suffix in _BUILT_FROM:
                    stat = path.stat()
                    digest.update(
                        f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode()
                    )
        digest.update(os.environ.get("PALLIARE_BUILD", "").encode())
        _BUILD = digest.hexdigest()[:16]
    return _BUILD


def not_modified(etag: str):
    """An empty 304 for a repeat view whose page has not changed."""
    response = current_app.response_class(status=304)
    return conditional(response, etag)


def conditional(response, etag: str | None):
    """``response`` with its ETag (when it has one) and the cache rules of a private,
    per-person page: kept by the browser only, revalidated on every view."""
    if etag:
        response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Cookie", "Accept-Language"))
    return response
