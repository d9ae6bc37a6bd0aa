"""What the translator's pages show and accept: a course catalog's stale and missing
segments, the glossary of palliative-care terms, and an uploaded catalog checked in full
before it may become the catalog's latest revision."""

import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, write_po
from flask import current_app

from app.courses.content.catalogs import (
    CRITICAL_COMMENT,
    SegmentIndex,
    build_template,
    merged_text,
    read_catalog,
)
from app.courses.content.lessons import ID_PATTERN
from app.courses.content.loader import CourseSource, load_course
from app.courses.content.markdown import render
from app.courses.content.merging import update_catalog
from app.courses.content.problems import ProblemList
from app.courses.content.provenance import previous_sources
from app.html import sanitise
from app.i18n.queries import latest_catalog_texts
from app.i18n.workflow import interface_dir, registered_locales

# The full check, as for the interface: content catalogs carry no format flags (lesson
# text is no format string; see courses/content/merging.py), so only a file that a tool
# flagged by mistake fails it. Real placeholders are checked by read_catalog, as at import.
CONTENT_CHECKS = ("--check",)


@dataclass(frozen=True)
class Entry:
    """One segment of a course catalog, as the stale list shows it."""

    line: int
    source: str
    previous: str | None  # the source the translation was made for (when stale)
    translation: str
    critical: bool
    terms: list[tuple[str, str]]  # (English term, its agreed translation) used here


def course_source(course_key: str) -> CourseSource | None:
    """A course as its files describe it, with its catalogs as learners get them (the
    latest revisions over the files), or None. Only its own folder is read (a course's
    id is its folder's name)."""
    if not ID_PATTERN.match(course_key):
        return None
    root = Path(current_app.config["COURSES_DIR"])
    folder = root / course_key
    if not (folder / "course.yaml").is_file():
        return None
    locales = list(registered_locales())
    texts = latest_catalog_texts(root, locales, course_key).get(course_key)
    return load_course(folder, locales, ProblemList(), texts)


def catalog_path(course: CourseSource, locale: str) -> Path:
    return course.folder / "translations" / f"{locale}.po"


def catalog_text(course: CourseSource, locale: str) -> str:
    """The catalog as translators download it: the latest revision, else the file, both
    brought up to date with the course's segments when they changed since (so that the
    translator's upload of it is accepted), else a new catalog made on the fly from the
    course's segments (as ``pybabel init`` would: every segment untranslated, the
    language's plural forms). A new one is not stored: the translator's upload makes it
    the catalog's first revision."""
    path = catalog_path(course, locale)
    if locale in course.catalog_texts:
        text = course.catalog_texts[locale]
    elif path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        return new_catalog_text(course, locale)
    template = build_template(course.id, course.located_segments())
    return merged_text(template, text, locale)


def new_catalog_text(course: CourseSource, locale: str) -> str:
    """A catalog of ``course`` in ``locale`` with no translation yet."""
    catalog = Catalog(locale=locale, project=course.id, fuzzy=False)
    catalog.revision_date = datetime.now(UTC)
    update_catalog(catalog, build_template(course.id, course.located_segments()))
    out = io.BytesIO()
    write_po(out, catalog, width=0, ignore_obsolete=True)
    return out.getvalue().decode("utf-8")


def stale_and_missing(course: CourseSource, locale: str) -> tuple[list[Entry], list[Entry]]:
    """The stale entries (old source, new source, current translation) and the missing
    ones of a course's catalog, critical segments first, each with its glossary terms."""
    glossary = read_glossary(locale)
    text = catalog_text(course, locale)
    messages, previous = [], {}
    if text is not None:
        messages = [m for m in read_po(io.BytesIO(text.encode("utf-8")), locale=locale) if m.id]
        previous = previous_sources(text)
    stale, missing = [], []
    for message in messages:
        entry = Entry(
            line=message.lineno or 0,
            source=message.id,
            previous=previous.get(message.id),
            translation=message.string if isinstance(message.string, str) else "",
            critical=CRITICAL_COMMENT in message.auto_comments,
            terms=terms_in(message.id, glossary),
        )
        if message.fuzzy:
            stale.append(entry)
        elif not message.string:
            missing.append(entry)
    by_risk = lambda entry: (not entry.critical, entry.line)  # noqa: E731
    return sorted(stale, key=by_risk), sorted(missing, key=by_risk)


def read_glossary(locale: str) -> dict[str, str]:
    """The agreed translations of palliative-care terms for ``locale`` (a YAML file per
    language in translations/glossary/, which translators edit)."""
    path = interface_dir() / "glossary" / f"{locale}.yaml"
    if not path.exists():
        return {}
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(term): str(translation) for term, translation in entries.items()}


def terms_in(text: str, glossary: dict[str, str]) -> list[tuple[str, str]]:
    """The glossary's terms that ``text`` uses (whole words, any case)."""
    return [
        (term, translation)
        for term, translation in glossary.items()
        if re.search(rf"\b{re.escape(term)}\b", text, re.IGNORECASE)
    ]


def check_upload(data: bytes, course: CourseSource, locale: str) -> list[str]:
    """Every problem of an uploaded catalog as ``line N: message`` (empty: it may
    replace the current one): a readable PO file for this language with its plural
    forms, only this course's segments, and translations that keep their source's
    placeholders and markup (the same checks as the import)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [f"byte {error.start}: the file is not UTF-8 text"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{locale}.po"
        path.write_text(text, encoding="utf-8")
        try:
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale, abort_invalid=True)
        except PoFileError as error:
            return [f"line {getattr(error, 'lineno', 0) + 1}: {error}"]
        except ValueError as error:
            return [f"line 1: {error}"]
        problems = _msgfmt_problems(path) + _header_problems(catalog, locale)
        known = {segment.text for _file, segment in course.located_segments()}
        absent = known - {message.id for message in catalog if message.id}
        if absent:
            first = sorted(absent)[0][:60]
            problems.append(
                f"line 1: {len(absent)} segment(s) of this course are not in the "
                f"file (first: “{first}”); download the current catalog, "
                "translate it and upload it whole"
            )
        for message in catalog:
            if message.id and message.id not in known:
                quoted = str(message.id)[:60]
                problems.append(
                    f"line {message.lineno}: not a segment of this course "
                    f"(“{quoted}”); is the catalog up to date?"
                )
        found = ProblemList()
        read_catalog(
            path, locale, "upload", found, SegmentIndex.of(course.id, course.located_segments())
        )
        problems += [f"line {problem.line}: {problem.message}" for problem in found.sorted()]
    return problems


def _msgfmt_problems(path: Path) -> list[str]:
    """GNU gettext's own check of a content catalog (syntax, header, plural forms), when
    msgfmt is installed (Debian's gettext package): ``line N: message`` each."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    result = subprocess.run(
        [msgfmt, *CONTENT_CHECKS, "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if result.returncode == 0:
        return []  # warnings only (e.g. a header left at its default): not a reason to refuse
    problems = []
    for line in result.stderr.splitlines():
        match = re.match(rf"{re.escape(str(path))}:(\d+): (.*)", line)
        if match and not match.group(2).startswith("warning:"):
            problems.append(f"line {match.group(1)}: {match.group(2)}")
    return problems or [f"line 1: {result.stderr.strip().splitlines()[-1]}"]


def _header_problems(catalog, locale: str) -> list[str]:
    problems = []
    if catalog.locale is not None and str(catalog.locale) != locale:
        problems.append(f"line 1: the catalog is for '{catalog.locale}', not '{locale}'")
    expected = get_plural(locale).num_plurals  # gettext's count: ru 3, kk 2, zh 1
    for message in catalog:
        forms = message.string if message.pluralizable else None
        if message.id and isinstance(forms, tuple) and len(forms) != expected:
            problems.append(
                f"line {message.lineno}: {len(message.string)} plural forms; "
                f"{locale} has {expected}"
            )
    return problems


def preview(course: CourseSource, lesson_key: str, locale: str) -> str | None:
    """A lesson's body in ``locale`` as the current catalog has it, stale translations
    included: stale and missing segments wrapped in ``<mark class="stale|missing">``
    (sanitised HTML), or None for an unknown lesson."""
    lesson = next((item for item in course.lessons() if item.id == lesson_key), None)
    if lesson is None:
        return None
    stale, missing = stale_and_missing(course, locale)
    stale_text = {entry.source: entry.translation for entry in stale}
    missing_text = {entry.source for entry in missing}
    catalog = course.catalogs.get(locale)
    translations = catalog.translations if catalog else {}

    def translate(text: str) -> tuple[str, str | None]:
        if text in translations:
            return translations[text], None
        if stale_text.get(text):
            return stale_text[text], None
        return text, course.source_locale

    def mark(text: str) -> str | None:
        if text in stale_text:
            return "stale"
        return "missing" if text in missing_text or text not in translations else None

    html, _stats = render(lesson.body, translate, f"/courses/{course.id}/files", mark)
    return sanitise(html)
