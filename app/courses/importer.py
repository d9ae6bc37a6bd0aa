"""Loading checked course files into the database, in one transaction, idempotently.

Rows are matched by their stable ids, so a re-import after an edit updates titles,
order and text in place and every learner's progress stays attached. A course whose
files did not change (same content hash) is skipped.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from app.courses.content.loader import CourseSource, load_courses
from app.courses.content.markdown import Translator, course_file_url, render, render_inline
from app.courses.content.problems import CourseFilesInvalid
from app.courses.identity import cover_name
from app.courses.models import Course, Lesson, LessonProtocol, LessonText, Module
from app.db_types import utcnow
from app.extensions import db
from app.html import sanitise

# What other packages add to an import, registered by their init_app: steps that save
# their own rows of a course in the same transaction, after its lessons (the quizzes),
# and sources of catalog texts newer than the files (the translators' uploaded revisions:
# ``{course: {locale: PO text}}``).
ImportStep = Callable[[Course, CourseSource, dict[str, Module], dict[str, Translator]], None]
CatalogSource = Callable[[Path, list[str]], dict[str, dict[str, str]]]
_STEPS: list[ImportStep] = []
_CATALOG_SOURCES: list[CatalogSource] = []


def register_import_step(step: ImportStep) -> None:
    """Run ``step`` for every course imported, after its modules and lessons are saved."""
    if step not in _STEPS:
        _STEPS.append(step)


def register_catalog_source(source: CatalogSource) -> None:
    """Read catalog texts from ``source`` in place of the files it has newer ones for."""
    if source not in _CATALOG_SOURCES:
        _CATALOG_SOURCES.append(source)


def _newer_catalogs(root: Path, locales: list[str]) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for source in _CATALOG_SOURCES:
        for course, by_locale in source(root, locales).items():
            texts.setdefault(course, {}).update(by_locale)
    return texts


@dataclass
class ImportReport:
    """What an import did."""

    imported: int = 0
    unchanged: int = 0
    retired: int = 0


def import_courses(root: Path) -> ImportReport:
    """Validate every course under ``root``, then load them all (flush, no commit). A
    catalog's latest revision (uploaded by a translator, in the database) is read instead
    of its file, unless the file was exported from that revision (app/i18n/queries.py).

    Raises CourseFilesInvalid, before touching the database, if any file has a problem.
    """
    locales = current_app.config["LANGUAGES"]
    sources, problems = load_courses(root, locales, _newer_catalogs(root, locales))
    if problems:
        raise CourseFilesInvalid(problems)
    report = ImportReport()
    existing = {course.key: course for course in db.session.scalars(select(Course))}
    for position, source in enumerate(sources):
        source.content_hash = _import_hash(source.content_hash, locales)
        course = existing.pop(source.id, None)
        if course and course.content_hash == source.content_hash and course.retired_at is None:
            course.position = position
            report.unchanged += 1
            continue
        _save_course(course, source, position, locales)
        report.imported += 1
    for course in existing.values():  # folders that are gone: retire, keep history
        if course.retired_at is None:
            course.retired_at = utcnow()
            report.retired += 1
    db.session.flush()
    return report


# Raise when rendering or the HTML allow-list changes, so every course is rendered again.
RENDER_VERSION = 5  # 3: lessons held back for critical segments; 4: learning objectives;
# 5: quiz review options and numeric units (issue 16)


def _import_hash(files_hash: str, locales: list[str]) -> str:
    """The files, the interface languages and the renderer: what a rendering depends on."""
    key = f"{files_hash}|{','.join(sorted(locales))}|{RENDER_VERSION}"
    return hashlib.sha256(key.encode()).hexdigest()


def translator_for(source: CourseSource, locale: str) -> Translator:
    """Segment lookup for ``locale``: its catalog, then its fallbacks, then the source."""
    if locale == source.source_locale:
        return lambda text: (text, None)
    fallbacks = current_app.config["CONTENT_FALLBACKS"].get(locale, [])
    chain = [source.catalogs[loc] for loc in [locale, *fallbacks] if loc in source.catalogs]

    def translate(text: str) -> tuple[str, str | None]:
        for catalog in chain:
            if text in catalog.translations:
                shown_in = None if catalog.locale == locale else catalog.locale
                return catalog.translations[text], shown_in
        return text, source.source_locale

    return translate


def lesson_locale(source: CourseSource, lesson_source, locale: str, fallbacks=None) -> str:
    """The language a lesson is shown in to ``locale`` readers: their own, unless one of its
    safety-critical segments (doses, conversions, routes) is stale or untranslated there;
    then the first fallback language where every one of them is translated, else the
    source. A stale dose instruction must never reach a learner, not even mixed into an
    otherwise translated lesson."""
    critical = [segment.text for segment in lesson_source.segments if segment.critical]
    if not critical:
        return locale
    if fallbacks is None:
        fallbacks = current_app.config["CONTENT_FALLBACKS"].get(locale, [])
    chain = [locale, *fallbacks]
    for candidate in chain:
        if candidate == source.source_locale:
            return candidate
        catalog = source.catalogs.get(candidate)
        if catalog is not None and all(text in catalog.translations for text in critical):
            return candidate
    return source.source_locale


def _save_course(course: Course | None, source: CourseSource, position: int, locales) -> None:
    translators = {locale: translator_for(source, locale) for locale in locales}
    if course is None:
        course = Course(key=source.id)
        db.session.add(course)
    course.source_locale = source.source_locale
    course.titles = {loc: t(source.title)[0] for loc, t in translators.items()}
    course.summaries = {loc: t(source.summary)[0] for loc, t in translators.items()}
    course.audience = source.audience
    course.cpd_hours = source.cpd_hours
    course.enrolment = source.enrolment
    course.trainer_track = source.trainer_track
    course.colour, course.icon = source.colour, source.icon
    course.cover = cover_name(source.cover)
    course.completion_rule = source.completion
    course.pre_test_key = source.pre_test
    course.post_test_key = source.post_test
    course.sources = source.sources
    course.position = position
    course.content_hash = source.content_hash
    course.imported_at = utcnow()
    course.retired_at = None
    db.session.flush()
    modules = _save_modules(course, source, translators)
    _save_lessons(course, source, modules, translators)
    for step in _STEPS:
        step(course, source, modules, translators)


def _save_modules(course: Course, source: CourseSource, translators) -> dict[str, Module]:
    rows = {
        m.key: m for m in db.session.scalars(select(Module).where(Module.course_id == course.id))
    }
    saved = {}
    for position, module_source in enumerate(source.modules):
        module = rows.pop(module_source.id, None) or Module(
            course_id=course.id, key=module_source.id
        )
        module.position = position
        module.titles = {loc: t(module_source.title)[0] for loc, t in translators.items()}
        module.retired_at = None
        db.session.add(module)
        saved[module_source.id] = module
    for module in rows.values():
        module.retired_at = module.retired_at or utcnow()
    db.session.flush()
    return saved


def _save_lessons(course: Course, source: CourseSource, modules, translators) -> None:
    rows = {
        row.key: row
        for row in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id))
    }
    files_base = f"/courses/{course.key}/files"
    saved = []
    position = 0
    for module_source in source.modules:
        for lesson_source in module_source.lessons:
            lesson = rows.pop(lesson_source.id, None) or Lesson(
                course_id=course.id, key=lesson_source.id
            )
            lesson.module_id = modules[module_source.id].id
            lesson.position = position
            lesson.titles = {loc: t(lesson_source.title)[0] for loc, t in translators.items()}
            lesson.minutes = lesson_source.minutes
            lesson.required = lesson_source.required
            lesson.source_path = lesson_source.relative
            lesson.retired_at = None
            db.session.add(lesson)
            saved.append((lesson, lesson_source))
            position += 1
    for lesson in rows.values():
        lesson.retired_at = lesson.retired_at or utcnow()
    db.session.flush()
    lesson_ids = [lesson.id for lesson, _ in saved]
    db.session.execute(delete(LessonText).where(LessonText.lesson_id.in_(lesson_ids)))
    _save_protocol_links(saved)
    for lesson, lesson_source in saved:
        for locale in translators:
            shown = lesson_locale(source, lesson_source, locale)
            translate = translators.get(shown) or translator_for(source, shown)
            text = _lesson_text(lesson, lesson_source, locale, translate, files_base)
            text.held_back_to = None if shown == locale else shown
            db.session.add(text)


def _save_protocol_links(saved) -> None:
    """Each lesson's links to the protocols it teaches, replaced by its front matter's
    ``protocols:`` (slugs; a protocol not written yet is linked all the same)."""
    lesson_ids = [lesson.id for lesson, _ in saved]
    db.session.execute(delete(LessonProtocol).where(LessonProtocol.lesson_id.in_(lesson_ids)))
    for lesson, lesson_source in saved:
        for slug in lesson_source.protocols:
            db.session.add(LessonProtocol(lesson_id=lesson.id, protocol_slug=slug))


def _lesson_text(lesson, lesson_source, locale, translate, files_base) -> LessonText:
    html, stats = render(lesson_source.body, translate, files_base)
    env = {"files_base": files_base}
    front = 1 + len(lesson_source.objectives) + len(lesson_source.files)
    for segment in lesson_source.segments[:front]:  # title, objectives, captions
        stats.total += 1
        stats.fallback += int(translate(segment.text)[1] is not None)
    extras = {
        "files": [
            {"url": course_file_url(f["path"], env), "title": translate(f["title"])[0]}
            for f in lesson_source.files
        ],
        "video": _video(lesson_source.video, env),
        "sources": lesson_source.sources,
    }
    return LessonText(
        lesson_id=lesson.id,
        locale=locale,
        html=sanitise(html),
        extras=extras,
        objectives=[objective_text(o, translate) for o in lesson_source.objectives],
        segments_total=stats.total,
        segments_fallback=stats.fallback,
    )


def objective_text(objective, translate: Translator) -> dict:
    """A lesson objective in one language: its id, its text (HTML) and, when it is shown in
    a fallback language, that language (``lang``, for screen readers)."""
    html, fallback = render_inline(objective.text, translate)
    shown = {"id": objective.id, "text": sanitise(html)}
    if fallback is not None:
        shown["lang"] = fallback.replace("_", "-")
    return shown


def _video(video: dict | None, env: dict) -> dict | None:
    if not video:
        return None
    return {
        "url": course_file_url(video["url"], env),
        "captions": [
            {
                "src": course_file_url(path, env),
                "srclang": locale.replace("_", "-"),
                "locale": locale,
            }
            for locale, path in sorted(video["captions"].items())
        ],
    }
