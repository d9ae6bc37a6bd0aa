"""Scoring: examples, and properties that must hold for every answer sheet (hypothesis)."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.quizzes.scoring import (
    draw_questions,
    index_questions,
    score_attempt,
    score_question,
    scored_ids,
)

SINGLE = {
    "id": "s",
    "type": "single",
    "choices": [
        {"id": "a", "correct": True},
        {"id": "b", "correct": False},
        {"id": "c", "correct": False},
    ],
}
MULTIPLE = {
    "id": "m",
    "type": "multiple",
    "scoring": "partial",
    "choices": [
        {"id": "a", "correct": True},
        {"id": "b", "correct": True},
        {"id": "c", "correct": False},
        {"id": "d", "correct": False},
    ],
}
STRICT = {**MULTIPLE, "id": "n", "scoring": "all-or-nothing"}
TRUE_FALSE = {"id": "t", "type": "true-false", "answer": False}
NUMERIC = {"id": "x", "type": "numeric", "answer": 30, "tolerance": 2.5}
CASE = {
    "id": "case",
    "type": "case",
    "questions": [{**SINGLE, "id": "case-s"}, {**TRUE_FALSE, "id": "case-t"}],
}
DEFINITION = {
    "pools": [
        {"id": "one", "items": [SINGLE, MULTIPLE, STRICT]},
        {"id": "two", "items": [TRUE_FALSE, NUMERIC, CASE]},
    ],
    "draw": [{"pool": "one", "count": 2}, {"pool": "two", "count": 3}],
}
QUESTIONS = index_questions(DEFINITION)


@pytest.mark.parametrize(
    "question, response, points",
    [
        (SINGLE, "a", 1),
        (SINGLE, "b", 0),
        (SINGLE, None, 0),
        (MULTIPLE, ["a", "b"], 1),
        (MULTIPLE, ["a"], 0.5),
        (MULTIPLE, ["a", "c"], 0),
        (MULTIPLE, ["a", "b", "c"], 0.5),
        (MULTIPLE, ["c", "d"], 0),
        (MULTIPLE, [], 0),
        (STRICT, ["a", "b"], 1),
        (STRICT, ["a"], 0),
        (STRICT, ["a", "b", "c"], 0),
        (TRUE_FALSE, False, 1),
        (TRUE_FALSE, True, 0),
        (NUMERIC, 30, 1),
        (NUMERIC, 32.5, 1),
        (NUMERIC, 27.5, 1),
        (NUMERIC, 32.6, 0),
    ],
)
def test_question_scores(question, response, points):
    assert score_question(question, response) == pytest.approx(points)


def test_a_case_keeps_its_parts_together_and_in_order():
    for seed in range(30):
        draw = draw_questions(DEFINITION, random.Random(seed))
        cases = [item for item in draw if item["id"] == "case"]
        for case in cases:
            assert [p["id"] for p in case["parts"]] == ["case-s", "case-t"]
        assert len(draw) == 5 and len({i["id"] for i in draw}) == 5


def _responses():
    """Any answer sheet to any draw: present, missing or partial answers."""
    questions = index_questions(DEFINITION)

    def response_for(qid):
        question = questions[qid]
        kind = question["type"]
        if kind == "single":
            return st.sampled_from([c["id"] for c in question["choices"]] + [None])
        if kind == "multiple":
            return st.lists(st.sampled_from([c["id"] for c in question["choices"]]), unique=True)
        if kind == "true-false":
            return st.sampled_from([True, False, None])
        return st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))

    ids = [q for q in questions if questions[q]["type"] != "case"]
    return st.fixed_dictionaries({qid: response_for(qid) for qid in ids})


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), answers=_responses())
def test_score_lies_between_zero_and_the_maximum(seed, answers):
    draw = draw_questions(DEFINITION, random.Random(seed))
    answers = {k: v for k, v in answers.items() if v is not None}
    score = score_attempt(QUESTIONS, draw, answers)
    assert 0 <= score.points <= score.maximum == len(scored_ids(draw))
    assert 0 <= score.percent <= 100


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), other=st.integers(0, 2**32), answers=_responses())
def test_shuffling_never_changes_a_score(seed, other, answers):
    draw = draw_questions(DEFINITION, random.Random(seed))
    reshuffled = list(draw)
    random.Random(other).shuffle(reshuffled)
    for item in reshuffled:
        if "choices" in item:
            item["choices"] = random.Random(other).sample(item["choices"], len(item["choices"]))
    answers = {k: v for k, v in answers.items() if v is not None}
    assert score_attempt(QUESTIONS, draw, answers).points == pytest.approx(
        score_attempt(QUESTIONS, reshuffled, answers).points
    )


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_a_perfect_answer_sheet_scores_the_maximum(seed):
    draw = draw_questions(DEFINITION, random.Random(seed))
    questions = index_questions(DEFINITION)
    answers = {}
    for qid in scored_ids(draw):
        question = questions[qid]
        if question["type"] == "single":
            answers[qid] = next(c["id"] for c in question["choices"] if c["correct"])
        elif question["type"] == "multiple":
            answers[qid] = [c["id"] for c in question["choices"] if c["correct"]]
        else:
            answers[qid] = question["answer"]
    score = score_attempt(QUESTIONS, draw, answers)
    assert score.points == score.maximum and score.percent == 100
