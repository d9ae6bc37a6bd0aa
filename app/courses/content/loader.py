"""Reading and checking course folders (files → CourseSource), before anything is imported."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from app.auth.models import Profession
from app.courses.content.catalogs import ContentCatalog, SegmentIndex, read_catalog
from app.courses.content.lessons import (
    LessonSource,
    check_id,
    check_keys,
    declared_objectives,
    read_lesson,
)
from app.courses.content.markdown import Segment
from app.courses.content.problems import Problem, ProblemList
from app.courses.content.quizzes import QuizSource, check_objective_references, read_quiz
from app.courses.content.yamlfile import YamlProblem, parse_yaml
from app.courses.identity import check_colour, check_cover, check_icon

COURSE_REQUIRED = {
    "id",
    "title",
    "summary",
    "audience",
    "source_locale",
    "cpd_hours",
    "modules",
    "completion",
}
COURSE_OPTIONAL = {
    "enrolment",
    "sources",
    "pre_test",
    "post_test",
    "trainer_track",
    "colour",
    "icon",
    "cover",
}
MODULE_REQUIRED = {"id", "title"}
MODULE_OPTIONAL = {"summary"}
COMPLETION_KEYS = {"version", "lessons", "quizzes", "workshop_sessions", "paths"}
# What a profession's path may set in place of the course's own clauses.
PATH_KEYS = {"quizzes", "workshop_sessions"}
ENROLMENT_KINDS = ("open", "cohort")


@dataclass
class ModuleSource:
    id: str
    title: str
    summary: str
    relative: str
    segments: list[Segment]
    lessons: list[LessonSource] = field(default_factory=list)


@dataclass
class CourseSource:
    """A whole course as its files describe it, with its catalogs."""

    id: str
    title: str
    summary: str
    audience: list[str]
    source_locale: str
    cpd_hours: float
    enrolment: str
    completion: dict
    trainer_track: bool
    sources: list[str]
    folder: Path
    relative: str
    segments: list[Segment]
    modules: list[ModuleSource] = field(default_factory=list)
    quizzes: list[QuizSource] = field(default_factory=list)
    pre_test: str | None = None
    post_test: str | None = None
    # The card's identity (app/courses/identity.py): palette colour, icon, files/<cover>.
    colour: str | None = None
    icon: str | None = None
    cover: str | None = None
    catalogs: dict[str, ContentCatalog] = field(default_factory=dict)
    # PO texts that stand in for translations/<locale>.po (catalog revisions, newer than
    # the files): {locale: text}
    catalog_texts: dict[str, str] = field(default_factory=dict)
    content_hash: str = ""

    def lessons(self) -> list[LessonSource]:
        return [lesson for module in self.modules for lesson in module.lessons]

    def located_segments(self):
        """(relative file, Segment) for every translatable segment, in reading order."""
        yield from ((f"{self.relative}/course.yaml", s) for s in self.segments)
        for module in self.modules:
            yield from ((f"{module.relative}/module.yaml", s) for s in module.segments)
            for lesson in module.lessons:
                yield from ((lesson.relative, s) for s in lesson.segments)
        for quiz in self.quizzes:
            yield from ((quiz.relative, s) for s in quiz.segments)


def load_courses(
    root: Path, locales: list[str], catalog_texts: dict[str, dict[str, str]] | None = None
) -> tuple[list[CourseSource], list[Problem]]:
    """Every course folder under ``root`` (a folder with course.yaml), with all problems.
    ``catalog_texts`` (``{course folder: {locale: PO text}}``) stand in for those files."""
    catalog_texts = catalog_texts or {}
    problems = ProblemList()
    folders = (
        [root]
        if (root / "course.yaml").is_file()
        else sorted(p for p in root.iterdir() if p.is_dir() and (p / "course.yaml").is_file())
    )
    courses = [
        course
        for folder in folders
        if (course := load_course(folder, locales, problems, catalog_texts.get(folder.name)))
        is not None
    ]
    seen: dict[str, str] = {}
    for course in courses:
        if course.id in seen:
            problems.add(
                f"{course.relative}/course.yaml",
                1,
                f"course id '{course.id}' is also used by {seen[course.id]}",
            )
        seen[course.id] = course.relative
    return courses, problems.sorted()


def load_course(
    folder: Path, locales: list[str], problems: ProblemList, catalog_texts=None
) -> CourseSource | None:
    """Read one course folder; its problems are added to ``problems``. ``catalog_texts``
    (``{locale: PO text}``) are read instead of the folder's translations/<locale>.po."""
    relative = folder.name
    course_file = f"{relative}/course.yaml"
    document = _read_mapping(folder / "course.yaml", course_file, "course", problems)
    if document is None:
        return None
    data = document.mapping()
    if data["id"] != folder.name:
        problems.add(
            course_file, document.line_of("id"), "the course id must equal its folder name"
        )
    course = CourseSource(
        id=data["id"],
        title=str(data.get("title") or ""),
        summary=str(data.get("summary") or "").strip(),
        audience=_audience(data.get("audience"), document, course_file, problems),
        source_locale=_locale(data.get("source_locale"), locales, document, course_file, problems),
        cpd_hours=_hours(data.get("cpd_hours"), document, course_file, problems),
        enrolment=_enrolment(data.get("enrolment", "open"), document, course_file, problems),
        completion=_completion(data.get("completion"), document, course_file, problems),
        trainer_track=_flag(data, "trainer_track", document, course_file, problems),
        sources=[str(s) for s in data.get("sources") or []],
        folder=folder,
        relative=relative,
        segments=[
            Segment(str(data.get("title") or ""), "title", document.line_of("title")),
            Segment(
                str(data.get("summary") or "").strip(), "paragraph", document.line_of("summary")
            ),
        ],
    )
    course.colour, course.icon, course.cover = _identity(
        data, folder, document, course_file, problems
    )
    course.modules = _modules(data.get("modules"), folder, document, course_file, problems)
    _check_unique_lessons(course, problems)
    course.quizzes = _quizzes(folder, relative, problems)
    course.pre_test, course.post_test = data.get("pre_test"), data.get("post_test")
    _check_quiz_references(course, document, course_file, problems)
    objectives = declared_objectives(course.lessons(), problems)
    check_objective_references(course.quizzes, objectives, problems)
    course.catalog_texts = dict(catalog_texts or {})
    course.catalogs = _catalogs(course, locales, problems)
    course.content_hash = content_hash(folder, course.catalog_texts)
    return course


# what → (required keys, optional keys) of its YAML file
MAPPING_KEYS = {
    "course": (COURSE_REQUIRED, COURSE_OPTIONAL),
    "module": (MODULE_REQUIRED, MODULE_OPTIONAL),
}


def _read_mapping(path: Path, relative: str, what: str, problems: ProblemList):
    """A course.yaml or module.yaml with its keys and id checked; None when unusable."""
    try:
        document = parse_yaml(path.read_text(encoding="utf-8"))
    except YamlProblem as error:
        problems.add(relative, error.line, str(error))
        return None
    required, optional = MAPPING_KEYS[what]
    check_keys(document, required, optional, relative, problems, f"{what}.yaml")
    data = document.mapping()
    if not check_id(data.get("id"), relative, document.line_of("id"), problems, what):
        return None
    return document


def _audience(value, document, file, problems) -> list[str]:
    allowed = {p.value for p in Profession}
    if not isinstance(value, list) or not value or not set(map(str, value)) <= allowed:
        problems.add(
            file,
            document.line_of("audience"),
            f"audience is a list of: {', '.join(sorted(allowed))}",
        )
        return []
    return [str(v) for v in value]


def _identity(data, folder, document, file, problems) -> tuple:
    """``colour``, ``icon`` and ``cover``, each None when absent or wrong (and said so)."""
    checks = {
        "colour": check_colour,
        "icon": check_icon,
        "cover": lambda value: check_cover(value, folder),
    }
    found = []
    for key, check in checks.items():
        value = data.get(key)
        problem = check(value) if value is not None else None
        if problem:
            problems.add(file, document.line_of(key), problem)
        found.append(None if problem else value)
    return tuple(found)


def _locale(value, locales, document, file, problems) -> str:
    if value not in locales:
        problems.add(
            file,
            document.line_of("source_locale"),
            f"source_locale must be one of: {', '.join(locales)}",
        )
        return "en"
    return value


def _hours(value, document, file, problems) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1000:
        problems.add(file, document.line_of("cpd_hours"), "cpd_hours must be a number of hours")
        return 0.0
    return float(value)


def _enrolment(value, document, file, problems) -> str:
    if value not in ENROLMENT_KINDS:
        problems.add(file, document.line_of("enrolment"), "enrolment must be 'open' or 'cohort'")
        return "cohort"
    return value


def _flag(data, key, document, file, problems) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        problems.add(file, document.line_of(key), f"{key} must be true or false")
        return False
    return value


def _completion(value, document, file, problems) -> dict:
    line = document.line_of("completion")
    if not isinstance(value, dict) or set(value) - COMPLETION_KEYS:
        problems.add(
            file, line, "completion has 'version' (a number) and 'lessons' (required or all)"
        )
        return {"version": 1, "lessons": "required"}
    version, lessons = value.get("version", 1), value.get("lessons", "required")
    if not isinstance(version, int) or version < 1 or lessons not in ("required", "all"):
        problems.add(
            file, line, "completion has 'version' (a number) and 'lessons' (required or all)"
        )
    rule = {"version": version, "lessons": lessons, "quizzes": []}
    rule |= _clauses(value, lambda message: problems.add(file, line, message))
    if "paths" in value:
        rule["paths"] = _paths(value["paths"], document.line_of("completion"), file, problems)
    return rule


def _clauses(value: dict, problem) -> dict:
    """The optional clauses of a rule or a path (``quizzes``, ``workshop_sessions``)."""
    clauses = {}
    if "quizzes" in value:
        quizzes = value["quizzes"]
        if isinstance(quizzes, list) and all(isinstance(q, str) for q in quizzes):
            clauses["quizzes"] = quizzes
        else:
            problem("completion 'quizzes' is a list of quiz ids")
    sessions = value.get("workshop_sessions", 0)
    if not isinstance(sessions, int) or isinstance(sessions, bool) or sessions < 0:
        problem("completion 'workshop_sessions' is a number (0 or more)")
    elif sessions or "workshop_sessions" in value:
        clauses["workshop_sessions"] = sessions
    return clauses


def _paths(value, line: int, file: str, problems) -> dict:
    """``paths``: a profession's own clauses (e.g. social workers: no dose quizzes)."""
    professions = {str(profession) for profession in Profession}
    if not isinstance(value, dict):
        problems.add(file, line, "completion 'paths' maps a profession to its quizzes")
        return {}
    paths = {}
    for profession, clauses in value.items():
        if profession not in professions:
            known = ", ".join(sorted(professions))
            problems.add(file, line, f"'{profession}' in completion paths is not one of {known}")
        elif not isinstance(clauses, dict) or not clauses or set(clauses) - PATH_KEYS:
            problems.add(file, line, f"the {profession} path sets quizzes or workshop_sessions")
        else:
            paths[profession] = _clauses(clauses, lambda m: problems.add(file, line, m))
    return paths


def _modules(value, folder, document, course_file, problems) -> list[ModuleSource]:
    """The modules in the order course.yaml lists them."""
    found = {}
    for module_dir in sorted(p for p in (folder / "modules").glob("*") if p.is_dir()):
        module = _read_module(module_dir, folder, problems)
        if module is not None:
            if module.id in found:
                problems.add(
                    f"{module.relative}/module.yaml",
                    1,
                    f"module id '{module.id}' is also used by {found[module.id].relative}",
                )
            found[module.id] = module
    if not isinstance(value, list) or not value:
        problems.add(
            course_file, document.line_of("modules"), "modules is the list of module ids, in order"
        )
        return []
    ordered = []
    for index, module_id in enumerate(value):
        if module_id not in found:
            problems.add(
                course_file,
                document.line_of_item("modules", index),
                f"no module folder has id '{module_id}'",
            )
        else:
            ordered.append(found.pop(module_id))
    for module in found.values():
        problems.add(
            f"{module.relative}/module.yaml",
            1,
            f"module '{module.id}' is not listed in course.yaml",
        )
    return ordered


def _read_module(module_dir: Path, course_dir: Path, problems) -> ModuleSource | None:
    relative = f"{course_dir.name}/modules/{module_dir.name}"
    file = f"{relative}/module.yaml"
    if not (module_dir / "module.yaml").is_file():
        problems.add(file, 1, "a module folder needs a module.yaml")
        return None
    document = _read_mapping(module_dir / "module.yaml", file, "module", problems)
    if document is None:
        return None
    data = document.mapping()
    title, summary = str(data.get("title") or ""), str(data.get("summary") or "").strip()
    segments = [Segment(title, "title", document.line_of("title"))]
    if summary:
        segments.append(Segment(summary, "paragraph", document.line_of("summary")))
    module = ModuleSource(data["id"], title, summary, relative, segments)
    for path in sorted(module_dir.glob("*.md")):
        lesson = read_lesson(path, course_dir, f"{relative}/{path.name}", problems)
        if lesson is not None:
            module.lessons.append(lesson)
    return module


def _check_unique_lessons(course: CourseSource, problems: ProblemList) -> None:
    seen: dict[str, str] = {}
    for lesson in course.lessons():
        if lesson.id in seen:
            problems.add(
                lesson.relative, 2, f"lesson id '{lesson.id}' is also used by {seen[lesson.id]}"
            )
        seen[lesson.id] = lesson.relative


def _catalogs(course: CourseSource, locales, problems) -> dict[str, ContentCatalog]:
    folder, texts = course.folder / "translations", course.catalog_texts
    catalogs = {}
    segments = SegmentIndex.of(course.id, course.located_segments())
    for locale in sorted({path.stem for path in folder.glob("*.po")} | set(texts)):
        relative = f"{course.relative}/translations/{locale}.po"
        if locale not in locales or locale == course.source_locale:
            problems.add(relative, 1, f"'{locale}' is not a language of the interface")
            continue
        if locale in texts:
            relative += " (latest revision)"
        source = texts.get(locale, folder / f"{locale}.po")
        catalogs[locale] = read_catalog(source, locale, relative, problems, segments)
    return catalogs


def _quizzes(folder: Path, relative: str, problems: ProblemList) -> list[QuizSource]:
    quizzes = []
    for path in sorted((folder / "quizzes").glob("*.yaml")):
        quiz = read_quiz(path, f"{relative}/quizzes/{path.name}", problems)
        if quiz is not None:
            quizzes.append(quiz)
    return quizzes


def _check_quiz_references(course: CourseSource, document, course_file, problems) -> None:
    """Quiz ids and question ids are unique; everything a quiz names exists."""
    seen_quizzes: dict[str, str] = {}
    seen_questions: dict[str, str] = {}
    modules = {module.id for module in course.modules}
    lessons = {lesson.id for lesson in course.lessons()}
    for quiz in course.quizzes:
        if quiz.id in seen_quizzes:
            problems.add(
                quiz.relative, 1, f"quiz id '{quiz.id}' is also used by {seen_quizzes[quiz.id]}"
            )
        seen_quizzes[quiz.id] = quiz.relative
        if quiz.module is not None and quiz.module not in modules:
            problems.add(quiz.relative, 1, f"no module has id '{quiz.module}'")
        for qid in quiz.question_ids:
            if qid in seen_questions or qid in lessons:
                problems.add(quiz.relative, 1, f"question id '{qid}' is used twice in the course")
            seen_questions[qid] = quiz.relative
    for key in ("pre_test", "post_test"):
        named = getattr(course, key)
        if named is not None and named not in seen_quizzes:
            problems.add(course_file, document.line_of(key), f"no quiz has id '{named}'")
    paths = course.completion.get("paths", {}).values()
    for named in {
        *course.completion.get("quizzes", []),
        *(q for p in paths for q in p.get("quizzes", [])),
    }:
        if named not in seen_quizzes:
            problems.add(course_file, document.line_of("completion"), f"no quiz has id '{named}'")


def content_hash(folder: Path, catalog_texts: dict[str, str] | None = None) -> str:
    """A digest of every file of the course (``catalog_texts`` in place of their
    translations/<locale>.po): unchanged files, nothing to import."""
    contents = {
        str(path.relative_to(folder)): path
        for path in folder.rglob("*")
        if path.is_file() and path.suffix != ".pot"
    }
    for locale, text in (catalog_texts or {}).items():
        contents[str(Path("translations") / f"{locale}.po")] = text.encode("utf-8")
    digest = hashlib.sha256()
    for name, content in sorted(contents.items(), key=lambda item: Path(item[0])):
        data = content if isinstance(content, bytes) else content.read_bytes()
        digest.update(name.encode() + b"\0" + data)
    return digest.hexdigest()
