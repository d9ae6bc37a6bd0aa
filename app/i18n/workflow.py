"""The translators' workflow behind ``flask translations``: add a locale, update every
catalog from its sources, compile, and report what is translated, stale or missing — for
the interface (translations/) and for the content of every course
(courses/<course>/translations/). Catalogs are ordinary gettext files, so translators
use Poedit, Lokalize or Weblate; Babel reads and writes them."""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from flask import current_app

from app.courses.content.catalogs import build_template, merge_into, write_template
from app.courses.content.loader import load_courses
from app.courses.importer import lesson_locale
from app.exceptions import ValidationFailed
from app.i18n.queries import latest_catalog_texts
from app.interface_coverage import Coverage, interface_coverage
from config import read_locale_registry

DOMAIN = "messages"


def interface_dir() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


def registered_locales() -> dict[str, list[str]]:
    """The registered locales and their content fallbacks (translations/locales.yaml)."""
    return read_locale_registry(interface_dir() / "locales.yaml")


def canonical(code: str) -> str:
    """A locale code as Babel spells it (``zh-hans`` → ``zh_Hans``), or a refusal."""
    try:
        return str(Locale.parse(code.strip().replace("-", "_")))
    except (ValueError, UnknownLocaleError) as error:
        raise ValidationFailed(f"'{code}' is not a locale Babel knows ({error})") from error


def add_locale(code: str, fallbacks: list[str]) -> list[Path]:
    """Start a language: its interface catalog from the template, a content catalog for
    every course, and its entry in the registry. Returns the catalogs made."""
    locale = canonical(code)
    registry = registered_locales()
    if locale in registry:
        raise ValidationFailed(f"{locale} is already registered")
    unknown = [f for f in fallbacks if f not in registry]
    if unknown:
        raise ValidationFailed(f"fallback {', '.join(unknown)} is not a registered language")
    made = [_start_interface_catalog(locale)]
    made += [p for p in update_content_catalogs(new=[locale]) if p.stem == locale]
    with (interface_dir() / "locales.yaml").open("a", encoding="utf-8") as registry_file:
        registry_file.write(f"{locale}: {{fallbacks: [{', '.join(fallbacks)}]}}\n")
    return made


def _start_interface_catalog(locale: str) -> Path:
    """As ``pybabel init``: the template's messages, none translated, with the locale's
    plural forms (Babel's CLDR data: Russian 3, Kazakh 2, Chinese 1)."""
    with (interface_dir() / f"{DOMAIN}.pot").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    catalog.locale = Locale.parse(locale)
    catalog.revision_date = datetime.now(UTC)
    catalog.fuzzy = False
    path = interface_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    return path


def update_interface_catalogs(source_root: Path) -> None:
    """Extract the interface's strings from the code and templates into the template,
    then merge it into every catalog: changed text turns fuzzy, nothing is dropped."""
    template = interface_dir() / f"{DOMAIN}.pot"
    _pybabel(
        "extract",
        "-F",
        str(source_root / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--sort-output",
        "--project",
        "Palliare",
        "--copyright-holder",
        "Palliare contributors",
        "-o",
        str(template),
        str(source_root),
    )
    _pybabel("update", "-i", str(template), "-d", str(interface_dir()), "--ignore-obsolete")


def update_content_catalogs(new=(), root: Path | None = None) -> list[Path]:
    """Write each course's template (.pot) from its files and merge it into its catalogs
    (and start catalogs for ``new`` locales); changed source text turns fuzzy."""
    locales = [*registered_locales(), *new]
    root = root or Path(current_app.config["COURSES_DIR"])
    courses, problems = load_courses(root, locales)
    if problems:
        raise ValidationFailed("\n".join(str(problem) for problem in problems))
    written = []
    for course in courses:
        template = build_template(course.id, course.located_segments())
        folder = course.folder / "translations"
        write_template(template, folder / f"{course.id}.pot")
        for locale in sorted(
            ({p.stem for p in folder.glob("*.po")} | set(new)) - {course.source_locale}
        ):
            merge_into(template, folder / f"{locale}.po", locale)
            written.append(folder / f"{locale}.po")
    return written


def compile_interface_catalogs() -> None:
    """The interface catalogs as .mo files (content catalogs are read at import)."""
    _pybabel("compile", "-d", str(interface_dir()), "-D", DOMAIN, "--statistics", quiet=False)


def _pybabel(*arguments: str, quiet: bool = True) -> None:
    CommandLineInterface().run(["pybabel", *(["--quiet"] if quiet else []), *arguments])


@dataclass(frozen=True)
class HeldBack:
    """A lesson not shown in ``locale`` for its safety-critical segments."""

    locale: str
    course: str
    lesson: str
    shown_in: str
    stale: int
    missing: int


def coverage_report() -> tuple[list[HeldBack], list[Coverage]]:
    """Lessons held back (first: they matter most), then per locale the interface's and
    each course's counts. A ``Coverage`` of a course is named ``locale/course``. Catalogs
    are counted as learners get them: the latest revision over the file."""
    registry = registered_locales()
    courses = _courses_as_learners_get_them(registry)
    held, parts = [], []
    for locale in registry:
        if locale == current_app.config["BABEL_DEFAULT_LOCALE"]:
            continue
        parts.append(interface_coverage(locale))
        for course in courses:
            if locale == course.source_locale:
                continue
            parts.append(_content_coverage(course, locale))
            held += _held_back(course, locale, registry[locale])
    return held, parts


def _courses_as_learners_get_them(registry) -> list:
    """Every course, its catalogs read as learners get them (latest revision over file)."""
    root = Path(current_app.config["COURSES_DIR"])
    texts = latest_catalog_texts(root, list(registry))
    courses, problems = load_courses(root, list(registry), texts)
    if problems:
        raise ValidationFailed("\n".join(str(problem) for problem in problems))
    return courses


@dataclass(frozen=True)
class CourseStatus:
    """A course's segments in one language: translated, stale (fuzzy) and missing, all
    and safety-critical ones (dose, conversion, route)."""

    locale: str
    course: str
    total: int
    translated: int
    stale: int
    critical: int
    critical_translated: int
    critical_stale: int

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.stale

    @property
    def critical_missing(self) -> int:
        return self.critical - self.critical_translated - self.critical_stale

    def as_dict(self) -> dict:
        """The figures of ``flask translations status --json``."""
        return {
            "total": self.total,
            "translated": self.translated,
            "stale": self.stale,
            "missing": self.missing,
            "safety_critical": self.critical,
            "safety_critical_translated": self.critical_translated,
            "safety_critical_stale": self.critical_stale,
            "safety_critical_missing": self.critical_missing,
        }


def course_statuses() -> list[CourseStatus]:
    """Per registered locale (but the source) and course, its ``CourseStatus``."""
    registry = registered_locales()
    statuses = []
    for course in _courses_as_learners_get_them(registry):
        texts = {segment.text for _file, segment in course.located_segments()}
        critical = {s.text for _file, s in course.located_segments() if s.critical}
        for locale in registry:
            if locale in (course.source_locale, current_app.config["BABEL_DEFAULT_LOCALE"]):
                continue
            catalog = course.catalogs.get(locale)
            done = set(catalog.translations) if catalog else set()
            stale = (catalog.fuzzy - done) if catalog else set()
            statuses.append(
                CourseStatus(
                    locale,
                    course.id,
                    len(texts),
                    len(texts & done),
                    len(texts & stale),
                    len(critical),
                    len(critical & done),
                    len(critical & stale),
                )
            )
    return statuses


def _content_coverage(course, locale: str) -> Coverage:
    texts = {segment.text for _file, segment in course.located_segments()}
    catalog = course.catalogs.get(locale)
    translated = len(texts & set(catalog.translations)) if catalog else 0
    stale = len(texts & catalog.fuzzy) if catalog else 0
    return Coverage(f"{locale}/{course.id}", translated, stale, len(texts))


def _held_back(course, locale: str, fallbacks: list[str]) -> list[HeldBack]:
    found = []
    catalog = course.catalogs.get(locale)
    for lesson in course.lessons():
        shown = lesson_locale(course, lesson, locale, fallbacks)
        if shown == locale:
            continue
        critical = [s.text for s in lesson.segments if s.critical]
        stale = sum(1 for text in critical if catalog and text in catalog.fuzzy)
        missing = sum(1 for text in critical if not catalog or text not in catalog.translations)
        found.append(HeldBack(locale, course.id, lesson.id, shown, stale, missing - stale))
    return found
