"""Reading a submitted answer sheet; anything that the quiz did not ask is refused."""

import math

from flask_babel import gettext as _

from app.courses.content.quiz_shapes import Answers, DrawnItem, Question, Response
from app.exceptions import ValidationFailed
from app.quizzes.scoring import scored_ids

FIELD_PREFIX = "q-"


def field_name(question_id: str) -> str:
    return f"{FIELD_PREFIX}{question_id}"


def parse_answers(questions: dict[str, Question], draw: list[DrawnItem], form) -> Answers:
    """The answers in ``form`` (a MultiDict) to the questions of ``draw``.

    Raises ValidationFailed for a question that was not drawn, an unknown choice, or a
    numeric answer that is not a number. Questions left blank are simply not answered.
    """
    asked = scored_ids(draw)
    for key in form:
        if key.startswith(FIELD_PREFIX) and key[len(FIELD_PREFIX) :] not in asked:
            raise ValidationFailed(
                _("The answers include a question that this attempt did not ask.")
            )
    answers: Answers = {}
    for number, qid in enumerate(asked, start=1):
        values = [v.strip() for v in form.getlist(field_name(qid)) if v.strip()]
        if values:
            answers[qid] = _response(questions[qid], values, number)
    return answers


def _response(question: Question, values: list[str], number: int) -> Response:
    kind = question["type"]
    if kind == "numeric":
        return _number(values, number)
    if kind == "true-false":
        if values not in (["true"], ["false"]):
            raise ValidationFailed(_("Question %(n)d: answer true or false.", n=number))
        return values[0] == "true"
    known = {choice["id"] for choice in question["choices"]}
    if not set(values) <= known or len(set(values)) != len(values):
        raise ValidationFailed(
            _("Question %(n)d: that choice is not one of the question's.", n=number)
        )
    if kind == "single":
        if len(values) != 1:
            raise ValidationFailed(_("Question %(n)d: choose one answer.", n=number))
        return values[0]
    return sorted(values)


def _number(values: list[str], number: int) -> float:
    text = values[0].replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as in Russian or Swedish
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if len(values) != 1 or not math.isfinite(value) or len(text) > 30:
        raise ValidationFailed(_("Question %(n)d: enter a number, for example 12.5.", n=number))
    return value
