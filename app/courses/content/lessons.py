"""Reading one lesson file: front matter, body, segments, and their checks."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.courses.content.markdown import (
    CALLOUTS,
    CONTAINER_LINE,
    DOSE_PATTERN,
    EXTERNAL_SCHEMES,
    FILES_PREFIX,
    Segment,
    front_matter,
    parser,
    segments_of,
)
from app.courses.content.problems import ProblemList
from app.courses.content.yamlfile import YamlProblem, parse_yaml

# What a course may offer for download or play: never HTML, SVG or script, which would
# run on the site's own origin.
FILE_TYPES = {
    ".pdf",
    ".txt",
    ".csv",
    ".vtt",
    ".mp4",
    ".webm",
    ".mp3",
    ".ogg",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LESSON_REQUIRED = {"id", "title"}
LESSON_OPTIONAL = {"minutes", "required", "files", "video", "sources", "objectives", "protocols"}
VIDEO_KEYS = {"url", "captions"}
FILE_KEYS = {"path", "title"}
OBJECTIVE_KEYS = {"id", "text"}
OBJECTIVES_MIN, OBJECTIVES_MAX = 2, 4


@dataclass(frozen=True)
class Objective:
    """A learning objective a lesson states, which quiz questions may name by ``id``."""

    id: str
    text: str
    line: int


@dataclass
class LessonSource:
    """A lesson as its file describes it."""

    id: str
    title: str
    relative: str  # path from the courses root, for messages
    body: str
    minutes: int | None = None
    required: bool = True
    files: list[dict] = field(default_factory=list)  # {"path", "title"}
    video: dict | None = None  # {"url", "captions": {locale: path}}
    sources: list[str] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    protocols: list[str] = field(default_factory=list)  # slugs of the protocols it teaches
    segments: list[Segment] = field(default_factory=list)


def check_id(value, relative: str, line: int, problems: ProblemList, what: str) -> bool:
    """Ids are lowercase words joined by hyphens."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        problems.add(relative, line, f"{what} id must be lowercase letters, digits and hyphens")
        return False
    return True


def check_keys(document, required, optional, relative, problems, what) -> None:
    """Report unknown and missing keys of a YAML mapping."""
    data = document.mapping()
    if not isinstance(document.data, dict):
        problems.add(relative, document.first_line, f"{what} must be a YAML mapping")
        return
    for key in data:
        if key not in required | optional:
            problems.add(relative, document.line_of(key), f"unknown key '{key}' in {what}")
    for key in sorted(required - set(data)):
        problems.add(relative, document.first_line, f"missing '{key}' in {what}")


def read_lesson(path: Path, course_dir: Path, relative: str, problems: ProblemList):
    """Parse a lesson file; returns None when it is too broken to use."""
    source = path.read_text(encoding="utf-8")
    tokens = parser().parse(source)
    text, fence_lines = front_matter(tokens)
    if text is None:
        problems.add(relative, 1, "a lesson starts with front matter between '---' lines")
        return None
    try:
        document = parse_yaml(text, line_offset=1)
    except YamlProblem as error:
        problems.add(relative, error.line, str(error))
        return None
    check_keys(
        document, LESSON_REQUIRED, LESSON_OPTIONAL, relative, problems, "lesson front matter"
    )
    data = document.mapping()
    if not data.get("id") or not check_id(
        data["id"], relative, document.line_of("id"), problems, "lesson"
    ):
        return None
    lesson = LessonSource(
        id=data["id"],
        title=str(data.get("title") or ""),
        relative=relative,
        body=source,
        minutes=data.get("minutes"),
        required=data.get("required", True) is not False,
        sources=[str(s) for s in data.get("sources") or []],
    )
    lesson.files = _files(data.get("files"), document, course_dir, relative, problems)
    lesson.video = _video(data.get("video"), document, course_dir, relative, problems)
    lesson.objectives = _objectives(data.get("objectives"), document, relative, problems)
    lesson.protocols = _protocols(data.get("protocols"), document, relative, problems)
    title = Segment(lesson.title, "title", document.line_of("title"))
    objectives = [Segment(o.text, "objective", o.line) for o in lesson.objectives]
    captions = [Segment(f["title"], "caption", document.line_of("files")) for f in lesson.files]
    body_segments = segments_of(tokens)
    lesson.segments = [title, *objectives, *captions, *body_segments]
    _check_body(source, tokens, body_segments, course_dir, relative, problems, fence_lines)
    _check_minutes(lesson.minutes, document, relative, problems)
    return lesson


def _check_minutes(minutes, document, relative, problems) -> None:
    if minutes is not None and not (isinstance(minutes, int) and 0 < minutes <= 600):
        problems.add(relative, document.line_of("minutes"), "minutes must be a whole number")


def _protocols(value, document, relative, problems) -> list[str]:
    """The slugs of the protocols a lesson teaches: a list of ids, each once."""
    if value is None:
        return []
    line = document.line_of("protocols")
    if not isinstance(value, list):
        problems.add(relative, line, "protocols must be a list of protocol ids (slugs)")
        return []
    slugs: list[str] = []
    for index, slug in enumerate(value):
        where = document.line_of_item("protocols", index)
        if check_id(slug, relative, where, problems, "protocol") and slug not in slugs:
            slugs.append(slug)
    return slugs


def _objectives(value, document, relative, problems) -> list[Objective]:
    """2 to 4 mappings ``{id, text}``, ids unique (across the course: ``declared_objectives``)."""
    if value is None:
        return []
    line = document.line_of("objectives")
    if not isinstance(value, list):
        problems.add(relative, line, "objectives must be a list of {id, text}")
        return []
    if not OBJECTIVES_MIN <= len(value) <= OBJECTIVES_MAX:
        problems.add(
            relative,
            line,
            f"a lesson states {OBJECTIVES_MIN} to {OBJECTIVES_MAX} objectives, not {len(value)}",
        )
    objectives: list[Objective] = []
    for index, item in enumerate(value):
        objective = _objective(item, document.line_of_item("objectives", index), relative, problems)
        if objective is None:
            continue
        if objective.id in {o.id for o in objectives}:
            problems.add(relative, objective.line, f"objective id '{objective.id}' is used twice")
            continue
        objectives.append(objective)
    return objectives


def _objective(item, line: int, relative: str, problems: ProblemList) -> Objective | None:
    if not isinstance(item, dict) or set(item) - OBJECTIVE_KEYS:
        problems.add(relative, line, "an objective has an id and a text; no other keys")
        return None
    for key in sorted(OBJECTIVE_KEYS - set(item)):
        problems.add(relative, line, f"missing '{key}' in objective")
    if "id" not in item or not check_id(item["id"], relative, line, problems, "objective"):
        return None
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        if "text" in item:
            problems.add(relative, line, f"objective '{item['id']}' needs a text")
        return None
    return Objective(item["id"], " ".join(text.split()), line)


def declared_objectives(lessons, problems: ProblemList) -> dict[str, LessonSource]:
    """The lesson that states each objective id of a course; an id stated by two lessons
    is a problem (quiz questions name objectives by id, so each must be one)."""
    owners: dict[str, LessonSource] = {}
    for lesson in lessons:
        for objective in lesson.objectives:
            other = owners.get(objective.id)
            if other is not None and other is not lesson:
                problems.add(
                    lesson.relative,
                    objective.line,
                    f"objective id '{objective.id}' is also used by {other.relative}",
                )
                continue
            owners[objective.id] = lesson
    return owners


def _files(value, document, course_dir, relative, problems) -> list[dict]:
    if value is None:
        return []
    line = document.line_of("files")
    if not isinstance(value, list):
        problems.add(relative, line, "files must be a list of {path, title}")
        return []
    files = []
    for index, item in enumerate(value):
        line = document.line_of_item("files", index)
        if not isinstance(item, dict) or set(item) - FILE_KEYS or not item.get("path"):
            problems.add(relative, line, "each file needs a path (and a title); no other keys")
            continue
        if _file_exists(item["path"], course_dir, relative, line, problems):
            files.append({"path": item["path"], "title": str(item.get("title") or item["path"])})
    return files


def _video(value, document, course_dir, relative, problems) -> dict | None:
    if value is None:
        return None
    line = document.line_of("video")
    if not isinstance(value, dict) or set(value) - VIDEO_KEYS or not value.get("url"):
        problems.add(relative, line, "video needs a url (and optional captions); no other keys")
        return None
    url = str(value["url"])
    if url.startswith(FILES_PREFIX):
        _file_exists(url, course_dir, relative, line, problems)
    elif not url.startswith("https://"):
        problems.add(relative, line, "a video url is a file in files/ or an https:// address")
    captions = value.get("captions") or {}
    if not isinstance(captions, dict):
        problems.add(relative, line, "captions map a language to a .vtt file in files/")
        captions = {}
    for caption in captions.values():
        _file_exists(str(caption), course_dir, relative, line, problems)
    return {"url": url, "captions": {str(k): str(v) for k, v in captions.items()}}


def _file_exists(target: str, course_dir: Path, relative, line, problems) -> bool:
    """A link to ``files/…`` must name a file of the course, inside files/, of a safe type."""
    files_dir = (course_dir / "files").resolve()
    resolved = (course_dir / target).resolve()
    if not target.startswith(FILES_PREFIX) or files_dir not in resolved.parents:
        problems.add(relative, line, f"'{target}' is not a file in files/")
        return False
    if resolved.suffix.lower() not in FILE_TYPES:
        problems.add(relative, line, f"'{target}': files may be {', '.join(sorted(FILE_TYPES))}")
        return False
    if not resolved.is_file():
        problems.add(relative, line, f"broken link: {target} does not exist")
        return False
    return True


def _check_body(source, tokens, segments, course_dir, relative, problems, fence_lines) -> None:
    """Callout names, headings, links, and dose text outside a dose block."""
    for number, line in enumerate(source.splitlines()[fence_lines:], start=fence_lines + 1):
        match = CONTAINER_LINE.match(line)
        if match and match.group(1) and match.group(1) not in CALLOUTS:
            problems.add(relative, number, f"unknown callout '{match.group(1)}'")
    for token in tokens:
        if token.type == "heading_open" and token.tag == "h1":
            problems.add(
                relative, token.map[0] + 1, "use '##' headings: the title is the page's heading"
            )
    for segment in segments:
        if not segment.critical and DOSE_PATTERN.search(segment.text):
            problems.add(relative, segment.line, "dose or conversion outside a '::: dose' block")
        for target in _link_targets(segment.text):
            if target.startswith(FILES_PREFIX):
                _file_exists(target, course_dir, relative, segment.line, problems)
            elif not target.startswith(EXTERNAL_SCHEMES):
                problems.add(relative, segment.line, f"link '{target}': use https:// or files/")


def _link_targets(text: str) -> list[str]:
    children = parser().parseInline(text)[0].children or []
    return [
        t.attrGet("href") or t.attrGet("src") or ""
        for t in children
        if t.type in ("link_open", "image")
    ]
