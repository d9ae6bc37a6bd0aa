"""A course's offline manifest: the pages (and optional files) a device stores to learn
without a connection, each with a ``version`` that changes whenever what the learner
would be served changes, and the quizzes that may (or may not) be answered offline.

Reading it writes nothing: it is built from reads only (the outline, the lesson texts,
each quiz's status), so a device may ask for it as often as it reconnects.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.models import User
from app.courses import queries as course_queries
from app.courses.models import Course, LessonText
from app.learning.queries import get_enrolment
from app.offline import queries
from app.quizzes import queries as quiz_queries
from app.quizzes.services import quiz_status

# What a page costs beyond its own text (the layout, header, navigation, forms), measured
# on the fixtures' rendered pages (a bare page 3.9 KB, a lesson 4.8-5.6 KB beyond its
# text); the CSS and scripts are cached once, not per page.
SHELL_BYTES = 4500
LESSON_CHROME_BYTES = 700  # a lesson's previous/next, progress and "Mark as complete"
PER_LINK_BYTES = 450  # a lesson's line in the course page's outline (title, state)


def version_of(*parts) -> str:
    """A short, stable hash of ``parts``."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8"))
    return digest.hexdigest()[:16]


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


@dataclass
class Manifest:
    """What ``build_manifest`` gathers; ``as_json`` is the answer."""

    course: Course
    locale: str
    available: bool
    reason: str | None
    pages: list[dict]
    files: list[dict]
    quizzes: list[dict]

    def as_json(self) -> dict:
        versions = [entry["version"] for entry in self.pages + self.files]
        versions += [
            version_of(q["key"], q["offline"], q["reason"], q["note"]) for q in self.quizzes
        ]
        return {
            "course": self.course.key,
            "title": self.course.title(self.locale),
            "locale": self.locale,
            "version": version_of(self.available, *versions),
            "available": self.available,
            "reason": self.reason,
            "pages": self.pages,
            "files": self.files,
            "quizzes": self.quizzes,
        }


def build_manifest(user: User, course: Course, locale: str) -> Manifest:
    """The manifest of ``course`` for ``user`` reading in ``locale``: empty, with the
    reason, unless they are enrolled and past the course's pre-test."""
    enrolment = get_enrolment(user, course)
    reason = None
    if enrolment is None:
        reason = _("Enrol in the course to make it available offline.")
    elif course.pre_test_key and not quiz_queries.has_taken_pre_test(
        user.id, course.id, course.pre_test_key
    ):
        reason = _("Take the pre-test first: it shows what you know before the course.")
    if reason is not None:
        return Manifest(course, locale, False, reason, [], [], [])
    outline = course_queries.get_course_outline(user, course)
    states = list(outline.states())
    texts = queries.lesson_texts([s.lesson.id for s in states], {locale, course.source_locale})
    pages = [_course_page(course, states, locale)]
    files: dict[str, dict] = {}
    for state in states:
        text = _served_text(texts, state.lesson.id, locale, course.source_locale)
        if text is None:
            continue
        pages.append(_lesson_page(course, state, text, texts, locale))
        for file in (text.extras or {}).get("files", []):
            files.setdefault(file["url"], _file_entry(course, file))
    quizzes = [_quiz_entry(user, course, quiz, enrolment, locale) for quiz in _quizzes(course)]
    pages += [_quiz_page(course, entry, locale) for entry in quizzes]
    pages.append(_device_page(locale))
    return Manifest(course, locale, True, None, pages, list(files.values()), quizzes)


def _served_text(texts, lesson_id: int, locale: str, source: str) -> LessonText | None:
    """The text the lesson page serves (``get_lesson_text``'s choice)."""
    return texts.get((lesson_id, locale)) or texts.get((lesson_id, source))


def _lesson_page(course: Course, state, text: LessonText, texts, locale: str) -> dict:
    """A lesson's entry. Held back to another language (a safety-critical passage not yet
    translated and checked), it takes that language's version: a copy stored before it
    was held back is replaced, never served stale."""
    served_locale = text.held_back_to or text.locale
    served = texts.get((state.lesson.id, served_locale), text)
    return {
        "url": url_for("study.lesson", course_key=course.key, lesson_key=state.lesson.key),
        "kind": "lesson",
        "title": state.lesson.title(locale),
        # The completion too: the stored page shows "Mark as complete" or "completed".
        "version": version_of(state.lesson.id, served_locale, served.html, state.completed),
        "bytes": _text_bytes(text) + SHELL_BYTES + LESSON_CHROME_BYTES,
    }


def _text_bytes(text: LessonText) -> int:
    """The lesson's own text on its page: the body, the objectives, files and sources."""
    extras = text.extras or {}
    parts = [text.html, *(o.get("text", "") for o in text.objectives or [])]
    parts += [f.get("title", "") + f.get("url", "") for f in extras.get("files", [])]
    parts += [str(source) for source in extras.get("sources", [])]
    return sum(_size(part) for part in parts) + 120 * len(parts)  # each in its markup


def _course_page(course: Course, states, locale: str) -> dict:
    done = "".join("1" if s.completed else "0" for s in states)
    titles = [s.lesson.title(locale) for s in states]
    return {
        "url": url_for("study.course", course_key=course.key),
        "kind": "course",
        "title": course.title(locale),
        "version": version_of(course.id, locale, course.title(locale), *titles, done),
        "bytes": SHELL_BYTES + PER_LINK_BYTES * len(states),
    }


def _device_page(locale: str) -> dict:
    return {
        "url": url_for("offline.device"),
        "kind": "device",
        "title": _("On this device"),
        "version": version_of("device", locale),
        "bytes": SHELL_BYTES,
    }


def _file_entry(course: Course, file: dict) -> dict:
    """A download of the course, with its size on disk (0 when it is not there)."""
    prefix = f"/courses/{course.key}/files/"
    size, stamp = 0, ""
    if file["url"].startswith(prefix):
        folder = Path(current_app.config["COURSES_DIR"]) / course.key / "files"
        path = folder / unquote(file["url"][len(prefix) :])
        if path.resolve().is_relative_to(folder.resolve()) and path.is_file():
            stat = path.stat()
            size, stamp = stat.st_size, stat.st_mtime_ns
    return {
        "url": file["url"],
        "title": file["title"],
        "bytes": size,
        "version": version_of(file["url"], size, stamp),
    }


def _quizzes(course: Course):
    return quiz_queries.list_course_quizzes(course.id)


def _quiz_entry(user: User, course: Course, quiz, enrolment, locale: str) -> dict:
    """Whether the quiz may be answered offline. Time limits and attempt limits stay the
    server's: a timed quiz is not offered; a limited one says what it uses."""
    status = quiz_status(user, quiz, enrolment)
    offline, reason, note = True, None, None
    if quiz.time_limit_minutes:
        offline, reason = False, _("It is timed: take it online.")
    elif not status.can_start:
        offline, reason = False, status.reason
    elif quiz.max_attempts and status.phase != "pre" and status.open_attempt is None:
        used = sum(1 for a in status.attempts if a.phase == status.phase)
        left = quiz.max_attempts - used
        note = ngettext(
            "Uses one of your %(num)d remaining attempts.",
            "Uses one of your %(num)d remaining attempts.",
            left,
        )
    return {
        "key": quiz.key,
        "title": quiz.title(locale),
        "url": url_for("quizzes.quiz", course_key=course.key, quiz_key=quiz.key),
        "offline": offline,
        "reason": reason,
        "note": note,
        "start_url": (
            url_for("quizzes.start", course_key=course.key, quiz_key=quiz.key) if offline else None
        ),
        "_version": version_of(quiz.id, locale, len(status.attempts), offline, reason, note),
    }


def _quiz_page(course: Course, entry: dict, locale: str) -> dict:
    return {
        "url": entry["url"],
        "kind": "quiz",
        "title": entry["title"],
        "version": entry.pop("_version"),
        "bytes": SHELL_BYTES,
    }
