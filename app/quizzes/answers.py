"""Reading a submitted answer sheet; anything that the quiz did not ask is refused."""

import math
import re
from collections.abc import Mapping

from flask_babel import gettext as _

from app.courses.content.quantities import decimal_comma, unit_named
from app.courses.content.quiz_shapes import Answers, DrawnItem, Question, Response
from app.exceptions import ValidationFailed
from app.quizzes.scoring import scored_ids

FIELD_PREFIX = "q-"


def field_name(question_id: str) -> str:
    return f"{FIELD_PREFIX}{question_id}"


def unanswered_numbers(draw: list[DrawnItem], form) -> list[int]:
    """The numbers (1, 2, … as the attempt page shows them) of the questions that
    ``form`` leaves blank."""
    return [
        number
        for number, qid in enumerate(scored_ids(draw), start=1)
        if not any(v.strip() for v in form.getlist(field_name(qid)))
    ]


def parse_answers(
    questions: dict[str, Question],
    draw: list[DrawnItem],
    form,
    locale: str = "en",
    units_shown: Mapping[str, str] | None = None,
) -> Answers:
    """The answers in ``form`` (a MultiDict) to the questions of ``draw``; ``locale`` is
    the attempt's (its decimal separator), ``units_shown`` the unit text each numeric
    question shows in it (typed after the number, it is accepted as it is). It is read
    only for a number typed with text after it, so it may be a mapping that loads the
    texts when first asked (most sheets never need them).

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
            shown = _Shown({} if units_shown is None else units_shown, qid)
            answers[qid] = _response(questions[qid], values, number, locale, shown)
    return answers


class _Shown:
    """The unit text one question shows, read from ``units_shown`` only when needed."""

    def __init__(self, units_shown: Mapping[str, str], qid: str):
        self.units_shown, self.qid = units_shown, qid

    def __str__(self) -> str:
        return self.units_shown.get(self.qid, "")


def _response(question: Question, values: list[str], number: int, locale, shown) -> Response:
    kind = question["type"]
    if kind == "numeric":
        return _numeric(question, values, number, locale, shown)
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


# a number, then what was typed after it (its unit, if any): "40 mg", "40mg", "2,5 мл"
_NUMBER_AND_UNIT = re.compile(r"([+-]?[\d.,\s\u00a0\u202f]*\d[.,]?)\s*(.*)", re.DOTALL)


def _numeric(question: Question, values: list[str], number: int, locale: str, unit_shown: _Shown):
    """A numeric answer: the number, or an OtherUnit when typed in another unit.

    The unit is optional; when typed it must be the question's, in any spelling the
    platform knows ("mg", "MG", "milligrams", "мг", "毫克") or as the question shows it
    ("mg per 24 hours").
    """
    match = _NUMBER_AND_UNIT.fullmatch(values[0].strip()) if len(values) == 1 else None
    value = _number(match.group(1), locale) if match else math.nan
    if not math.isfinite(value) or len(values[0]) > 30:
        raise ValidationFailed(_("Question %(n)d: enter a number, for example 12.5.", n=number))
    typed = match.group(2).strip()
    if not typed:
        return value
    shown = str(unit_shown)
    if _same_text(typed, shown):
        return value
    unit = unit_named(typed)
    if unit is None:
        raise ValidationFailed(
            _(
                "Question %(n)d: enter a number, with or without its unit (%(unit)s).",
                n=number,
                unit=shown or question.get("unit", ""),
            )
        )
    if unit == question.get("unit"):
        return value
    return {"value": value, "unit": unit}


def _same_text(typed: str, shown: str) -> bool:
    def norm(text):
        return " ".join(text.casefold().split())

    return bool(shown) and norm(typed) == norm(shown)


def _number(text: str, locale: str) -> float:
    """``text`` as a number: a decimal comma where the locale writes one ("2,5" in
    Russian), a thousands separator where it does not ("1,000" in English)."""
    text = re.sub(r"[\s\u00a0\u202f]", "", text)
    if "," in text:
        if decimal_comma(locale) or not re.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
            if "." in text:
                return math.nan  # "1,000.5" or "1.000,5": not read as either
            text = text.replace(",", ".")
        else:
            text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return math.nan
