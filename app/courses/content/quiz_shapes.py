"""The shapes of a quiz as JSON: one definition shared by the file reader, the importer,
scoring, answer parsing and the templates.

They are ``TypedDict``s because the same dictionaries are stored as JSON columns
(``Quiz.definition``, ``Attempt.draw``, ``Attempt.questions``, ``QuizText.texts``) and
read back as plain dictionaries; the types name their keys in one place.
"""

from typing import Literal, NotRequired, TypedDict, get_args

QuestionType = Literal["single", "multiple", "true-false", "numeric", "case"]
Scoring = Literal["partial", "all-or-nothing"]
# When a learner sees the correct answers and rationales of a submitted attempt (the
# quiz file's ``review``); the score is always shown.
Review = Literal[
    "immediately", "after_passing", "after_last_attempt", "after_passing_or_last_attempt", "never"
]
REVIEW_OPTIONS: tuple[str, ...] = get_args(Review)


class Choice(TypedDict):
    """A choice of a single or multiple question: its id and whether it is correct."""

    id: str
    correct: bool


class AnswerKey(TypedDict, total=False):
    """The keys a question's type adds: choices (single, multiple), scoring (multiple),
    answer (true-false: a bool; numeric: a number, with its tolerance)."""

    choices: list[Choice]
    scoring: Scoring
    answer: bool | int | float
    tolerance: int | float
    unit: str  # numeric: the canonical unit (mg, mL …) when its text names a known one


class Question(AnswerKey):
    """A question with its answer key (never sent to browsers); a case has the
    questions that share its stem."""

    id: str
    type: QuestionType
    source: NotRequired[str]
    objective: NotRequired[str]  # the id of the lesson objective it tests
    questions: NotRequired[list["Question"]]


class Pool(TypedDict):
    id: str
    items: list[Question]


class DrawRule(TypedDict):
    """Draw ``count`` questions at random from the pool ``pool``."""

    pool: str
    count: int


class Definition(TypedDict):
    """A quiz's language-neutral content, as stored in ``Quiz.definition``."""

    pools: list[Pool]
    draw: list[DrawRule]


class DrawnItem(TypedDict):
    """One question as an attempt shows it: the choices in their shuffled order, a case's
    parts in theirs. A draw is a list of these, stored in ``Attempt.draw``."""

    id: str
    choices: NotRequired[list[str]]
    parts: NotRequired[list["DrawnItem"]]


class OtherUnit(TypedDict):
    """A numeric answer typed with a unit other than the question's ("40 g" for mg): kept
    as typed, scored 0, and the review says which unit was asked."""

    value: float
    unit: str  # the canonical unit typed


# A response: a choice id (single), choice ids (multiple), a bool (true-false) or a
# number (numeric; an OtherUnit when typed in another unit). Answers map a question id
# to its response.
Response = str | list[str] | bool | float | OtherUnit
Answers = dict[str, Response]


class ObjectiveText(TypedDict):
    """The lesson objective a question tests, in one language (for the review)."""

    id: str
    text: str  # HTML
    lang: NotRequired[str]  # the language of a fallback text (BCP 47)
    lesson: str  # the key of the lesson that states it
    lesson_title: str


class QuestionTexts(TypedDict):
    """A question's text in one language (Markdown in the source, HTML once imported)."""

    stem: str
    rationale: NotRequired[str]
    choices: NotRequired[dict[str, str]]  # choice id -> text
    unit: NotRequired[str]
    objective: NotRequired[ObjectiveText]  # only once imported
