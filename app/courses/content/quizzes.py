"""Reading and checking quiz files (``courses/<id>/quizzes/*.yaml``).

The answer key stays in these language-neutral files; the text (title, stems, choices,
rationales, units) becomes segments of the course catalog like lesson text.
"""

from dataclasses import dataclass, field
from pathlib import Path

from app.courses.content.lessons import ID_PATTERN
from app.courses.content.markdown import Segment
from app.courses.content.problems import ProblemList
from app.courses.content.quantities import unit_named
from app.courses.content.quiz_shapes import (
    REVIEW_OPTIONS,
    AnswerKey,
    Choice,
    Definition,
    DrawRule,
    Pool,
    Question,
    QuestionTexts,
)
from app.courses.content.yamlfile import LineDict, YamlProblem, parse_yaml_with_lines

QUIZ_KEYS = {
    "id",
    "title",
    "module",
    "pass_mark",
    "max_attempts",
    "wait_minutes",
    "time_limit_minutes",
    "review",
    "draw",
    "pools",
}
QUESTION_KEYS = {
    "id",
    "type",
    "stem",
    "choices",
    "answer",
    "tolerance",
    "unit",
    "scoring",
    "rationale",
    "source",
    "critical",
    "questions",
    "objective",
}
TYPES = ("single", "multiple", "true-false", "numeric", "case")
CHOICE_TYPES = ("single", "multiple")


@dataclass
class QuizSource:
    """A quiz as its file describes it: settings, pools (answer key included), segments."""

    id: str
    title: str
    relative: str
    module: str | None = None
    pass_mark: int = 70
    max_attempts: int | None = None
    wait_minutes: int = 0
    time_limit_minutes: int | None = None
    review: str | None = None  # None: the importer's default for the quiz's kind
    draw: list[DrawRule] = field(default_factory=list)
    pools: list[Pool] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    question_ids: list[str] = field(default_factory=list)
    texts: dict[str, QuestionTexts] = field(default_factory=dict)  # by question id
    # (objective id, line) of each question that names one, by question id
    objectives: dict[str, tuple[str, int]] = field(default_factory=dict)

    def definition(self) -> Definition:
        """The language-neutral structure kept in the database (never sent to browsers)."""
        return {"pools": self.pools, "draw": self.draw}


class _Reader:
    """Walks one quiz file, collecting its problems, segments and questions."""

    def __init__(self, relative: str, problems: ProblemList):
        self.relative, self.problems = relative, problems
        self.segments: list[Segment] = []
        self.question_ids: list[str] = []
        self.texts: dict[str, QuestionTexts] = {}
        self.objectives: dict[str, tuple[str, int]] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.add(self.relative, line, message)

    def text(self, mapping: LineDict, key: str, kind: str, critical=False, required=True):
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(mapping.line, f"missing '{key}'")
            return None
        value = str(value).strip()
        self.segments.append(Segment(value, kind, mapping.line_of(key), critical))
        return value

    def number(self, mapping, key, default, minimum=0, maximum=100_000, whole=True):
        value = mapping.get(key, default)
        kinds = int if whole else (int, float)
        if value is None and default is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, kinds)
            or not minimum <= value <= maximum
        ):
            self.problem(
                mapping.line_of(key), f"'{key}' must be a number from {minimum} to {maximum}"
            )
            return default
        return value

    def objective(self, data: LineDict, qid: str, inherited: str | None) -> str | None:
        """The lesson objective a question tests (a case's parts inherit the case's)."""
        if "objective" not in data:
            return inherited
        value, line = data["objective"], data.line_of("objective")
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(line, "objective is the id of a lesson's objective")
            return inherited
        self.objectives[qid] = (value, line)
        return value

    def question(self, data, in_case=False, objective=None) -> Question | None:
        if not isinstance(data, LineDict):
            self.problem(getattr(data, "line", 1), "a question is a mapping with id, type, stem, …")
            return None
        for key in data:
            if key not in QUESTION_KEYS:
                self.problem(data.line_of(key), f"unknown key '{key}' in question")
        qid, kind = data.get("id"), data.get("type")
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            self.problem(
                data.line_of("id"), "question id must be lowercase letters, digits and hyphens"
            )
            return None
        self.question_ids.append(qid)
        if kind not in TYPES or (in_case and kind == "case"):
            allowed = ", ".join(t for t in TYPES if not (in_case and t == "case"))
            self.problem(data.line_of("type"), f"question type must be one of: {allowed}")
            return None
        critical = data.get("critical") is True
        question: Question = {"id": qid, "type": kind}
        if objective := self.objective(data, qid, objective):
            question["objective"] = objective
        texts = self.texts.setdefault(qid, {"stem": ""})
        texts["stem"] = self.text(data, "stem", "quiz-stem", critical) or ""
        if kind == "case":
            question["questions"] = self._case_questions(data, objective)
            return question
        texts["rationale"] = self.text(data, "rationale", "quiz-rationale", critical) or ""
        question["source"] = str(data.get("source") or "")  # a citation: not translated
        question.update(getattr(self, f"_{kind.replace('-', '_')}")(data, critical, texts))
        return question

    def _case_questions(self, data, objective: str | None) -> list[Question]:
        items = data.get("questions")
        if not isinstance(items, list) or not items:
            self.problem(data.line_of("questions"), "a case needs its 'questions' (a list)")
            return []
        parts = (self.question(item, in_case=True, objective=objective) for item in items)
        return [q for q in parts if q]

    def _choices(self, data, critical, texts: QuestionTexts) -> list[Choice]:
        items = data.get("choices")
        if not isinstance(items, list) or len(items) < 2:
            self.problem(data.line_of("choices"), "a choice question needs at least 2 choices")
            return []
        choices: list[Choice] = []
        seen = set()
        for item in items:
            if not isinstance(item, LineDict) or set(item) - {"id", "text", "correct"}:
                self.problem(getattr(item, "line", data.line), "a choice has id, text and correct")
                continue
            cid = item.get("id")
            if not isinstance(cid, str) or not ID_PATTERN.match(cid) or cid in seen:
                self.problem(item.line_of("id"), "choice ids are unique lowercase words")
                continue
            seen.add(cid)
            texts.setdefault("choices", {})[cid] = (
                self.text(item, "text", "quiz-choice", critical) or ""
            )
            choices.append({"id": cid, "correct": item.get("correct") is True})
        return choices

    def _single(self, data, critical, texts: QuestionTexts) -> AnswerKey:
        choices = self._choices(data, critical, texts)
        if choices and sum(c["correct"] for c in choices) != 1:
            self.problem(
                data.line_of("choices"), "a single-choice question has exactly one correct choice"
            )
        return {"choices": choices}

    def _multiple(self, data, critical, texts: QuestionTexts) -> AnswerKey:
        choices = self._choices(data, critical, texts)
        if choices and not any(c["correct"] for c in choices):
            self.problem(
                data.line_of("choices"), "a multiple-choice question needs a correct choice"
            )
        scoring = data.get("scoring", "partial")
        if scoring not in ("partial", "all-or-nothing"):
            self.problem(data.line_of("scoring"), "scoring is 'partial' or 'all-or-nothing'")
        return {"choices": choices, "scoring": scoring}

    def _true_false(self, data, critical, texts: QuestionTexts) -> AnswerKey:
        if not isinstance(data.get("answer"), bool):
            self.problem(
                data.line_of("answer"), "a true-false question needs answer: true or false"
            )
        return {"answer": data.get("answer") is True}

    def _numeric(self, data, critical, texts: QuestionTexts) -> AnswerKey:
        answer, tolerance = data.get("answer"), data.get("tolerance", 0)
        for key, value in (("answer", answer), ("tolerance", tolerance)):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or (key == "tolerance" and value < 0)
            ):
                self.problem(data.line_of(key), f"a numeric question needs a number as '{key}'")
        texts["unit"] = self.text(data, "unit", "quiz-unit", critical) or ""
        key: AnswerKey = {"answer": answer, "tolerance": tolerance}
        # "mg per 24 hours" asks for mg: "40 mg", "40 MG" or "40 мг" is then accepted
        if unit := unit_named(texts["unit"], leading=True):
            key["unit"] = unit
        return key


def read_quiz(path: Path, relative: str, problems: ProblemList) -> QuizSource | None:
    """Parse and check one quiz file; None when it is too broken to use."""
    try:
        data = parse_yaml_with_lines(path.read_text(encoding="utf-8"))
    except YamlProblem as error:
        problems.add(relative, error.line, str(error))
        return None
    if not isinstance(data, LineDict):
        problems.add(relative, 1, "a quiz file is a YAML mapping")
        return None
    reader = _Reader(relative, problems)
    for key in data:
        if key not in QUIZ_KEYS:
            reader.problem(data.line_of(key), f"unknown key '{key}' in quiz")
    qid = data.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        reader.problem(data.line_of("id"), "quiz id must be lowercase letters, digits and hyphens")
        return None
    quiz = QuizSource(id=qid, title=reader.text(data, "title", "title") or qid, relative=relative)
    quiz.module = data.get("module")
    quiz.pass_mark = reader.number(data, "pass_mark", 70, 1, 100)
    quiz.max_attempts = reader.number(data, "max_attempts", None, 1, 100)
    quiz.wait_minutes = reader.number(data, "wait_minutes", 0, 0, 60 * 24 * 30)
    quiz.time_limit_minutes = reader.number(data, "time_limit_minutes", None, 1, 600)
    quiz.review = _review(data, reader)
    quiz.pools = _pools(data, reader)
    quiz.draw = _draw(data, quiz.pools, reader)
    quiz.segments, quiz.question_ids, quiz.texts = (
        reader.segments,
        reader.question_ids,
        reader.texts,
    )
    quiz.objectives = reader.objectives
    return quiz


def _review(data: LineDict, reader: _Reader) -> str | None:
    """When the learner sees the correct answers: one of REVIEW_OPTIONS, or None."""
    value = data.get("review")
    if value is None or value in REVIEW_OPTIONS:
        return value
    reader.problem(data.line_of("review"), f"'review' must be one of: {', '.join(REVIEW_OPTIONS)}")
    return None


def check_objective_references(quizzes, declared, problems: ProblemList) -> None:
    """Every objective a question names is stated by a lesson of the course (``declared``:
    the objective ids of its lessons)."""
    for quiz in quizzes:
        for objective, line in quiz.objectives.values():
            if objective not in declared:
                problems.add(
                    quiz.relative, line, f"no lesson of the course has objective '{objective}'"
                )


def _pools(data: LineDict, reader: _Reader) -> list[Pool]:
    items = data.get("pools")
    if not isinstance(items, list) or not items:
        reader.problem(data.line_of("pools"), "a quiz needs 'pools', each with questions")
        return []
    pools: list[Pool] = []
    seen = set()
    for item in items:
        if not isinstance(item, LineDict) or set(item) - {"id", "questions"}:
            reader.problem(getattr(item, "line", data.line), "a pool has an id and questions")
            continue
        pid = item.get("id")
        if not isinstance(pid, str) or not ID_PATTERN.match(pid) or pid in seen:
            reader.problem(item.line_of("id"), "pool ids are unique lowercase words")
            continue
        seen.add(pid)
        questions = item.get("questions")
        if not isinstance(questions, list) or not questions:
            reader.problem(item.line_of("questions"), "a pool needs at least one question")
            continue
        parsed = [q for q in (reader.question(q) for q in questions) if q]
        pools.append({"id": pid, "items": parsed})
    return pools


def _draw(data: LineDict, pools: list[Pool], reader: _Reader) -> list[DrawRule]:
    """How many questions to draw from which pool (default: all of every pool)."""
    sizes = {pool["id"]: len(pool["items"]) for pool in pools}
    items = data.get("draw")
    if items is None:
        return [{"pool": pid, "count": size} for pid, size in sizes.items()]
    if not isinstance(items, list):
        reader.problem(data.line_of("draw"), "draw is a list of {pool, count}")
        return []
    draw: list[DrawRule] = []
    for item in items:
        if not isinstance(item, LineDict) or set(item) != {"pool", "count"}:
            reader.problem(getattr(item, "line", data.line), "each draw has a pool and a count")
            continue
        pool, count = item["pool"], item["count"]
        if pool not in sizes:
            reader.problem(item.line_of("pool"), f"no pool '{pool}' in this quiz")
        elif not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= sizes[pool]:
            reader.problem(
                item.line_of("count"), f"count must be 1 to {sizes[pool]} (the pool's size)"
            )
        else:
            draw.append({"pool": pool, "count": count})
    return draw
