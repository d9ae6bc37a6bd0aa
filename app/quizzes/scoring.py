"""Drawing questions and scoring answers: pure functions, no database, no request.

A *definition* is the language-neutral quiz from the course files (pools and answer
key). A *draw* is what one attempt shows, in order. *Answers* map a question id to a
response. Their shapes are in ``app.courses.content.quiz_shapes``.
"""

import random
from dataclasses import dataclass, field

from app.courses.content.quiz_shapes import (
    Answers,
    Definition,
    DrawnItem,
    Question,
    Response,
)


@dataclass
class ItemResult:
    question: str
    points: float  # between 0 and 1

    @property
    def correct(self) -> bool:
        return self.points >= 1


@dataclass
class Score:
    points: float
    maximum: int
    items: list[ItemResult] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.maximum if self.maximum else 0.0


def index_questions(definition: Definition) -> dict[str, Question]:
    """Every question (case parts included) by id."""
    found = {}
    for pool in definition["pools"]:
        for question in pool["items"]:
            found[question["id"]] = question
            for part in question.get("questions", []):
                found[part["id"]] = part
    return found


def draw_questions(definition: Definition, rng: random.Random) -> list[DrawnItem]:
    """Draw each pool's count, shuffle the questions and every question's choices."""
    pools = {pool["id"]: pool["items"] for pool in definition["pools"]}
    chosen = [q for d in definition["draw"] for q in rng.sample(pools[d["pool"]], d["count"])]
    rng.shuffle(chosen)
    return [_drawn(question, rng) for question in chosen]


def _drawn(question: Question, rng: random.Random) -> DrawnItem:
    item: DrawnItem = {"id": question["id"]}
    if "choices" in question:
        order = [choice["id"] for choice in question["choices"]]
        rng.shuffle(order)
        item["choices"] = order
    if question["type"] == "case":  # a case keeps its parts together and in order
        item["parts"] = [_drawn(part, rng) for part in question["questions"]]
    return item


def scored_ids(draw: list[DrawnItem]) -> list[str]:
    """The ids of the questions that earn points in a draw (case parts, not cases)."""
    ids = []
    for item in draw:
        ids.extend(part["id"] for part in item["parts"]) if "parts" in item else ids.append(
            item["id"]
        )
    return ids


def drawn_questions(definition: Definition, draw: list[DrawnItem]) -> dict[str, Question]:
    """The definitions of the questions in ``draw`` (cases and their parts), by id."""
    every = index_questions(definition)
    ids = [item["id"] for item in draw] + scored_ids(draw)
    return {qid: every[qid] for qid in ids}


def score_attempt(questions: dict[str, Question], draw: list[DrawnItem], answers: Answers) -> Score:
    """Score ``answers`` to the questions of ``draw``; unanswered questions score 0.

    ``questions`` maps question ids to their definitions (an attempt's snapshot).
    """
    items = [
        ItemResult(qid, score_question(questions[qid], answers.get(qid)))
        for qid in scored_ids(draw)
    ]
    return Score(sum(item.points for item in items), len(items), items)


def score_question(question: Question, response: Response | None) -> float:
    """Points (0 to 1) for one response to one question."""
    if response is None:
        return 0.0
    kind = question["type"]
    if kind == "single":
        return 1.0 if response == _correct_ids(question)[0] else 0.0
    if kind == "true-false":
        return 1.0 if response is question["answer"] else 0.0
    if kind == "numeric":
        if isinstance(response, dict):  # typed in another unit than the question's
            return 0.0
        return (
            1.0
            if abs(float(response) - question["answer"]) <= question["tolerance"] + 1e-9
            else 0.0
        )
    if kind == "multiple":
        return _score_multiple(question, set(response))
    raise ValueError(f"cannot score a {kind} question")


def _correct_ids(question: Question) -> list[str]:
    return [choice["id"] for choice in question["choices"] if choice["correct"]]


def _score_multiple(question: Question, ticked: set[str]) -> float:
    correct = set(_correct_ids(question))
    wrong = {choice["id"] for choice in question["choices"]} - correct
    if question.get("scoring") == "all-or-nothing":
        return 1.0 if ticked == correct else 0.0
    gained = len(ticked & correct) / len(correct)
    lost = len(ticked & wrong) / len(wrong) if wrong else 0.0
    return max(0.0, gained - lost)
