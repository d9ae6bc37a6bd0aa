"""The numeric safety net: a translated safety-critical segment keeps every quantity of
its source.

What is compared, in digits (a word such as "twice" is not a quantity):

- **doses**: a number (or a range, ``20–30``) with a unit of mass, volume, rate or
  share — mg, micrograms, g, mL, mmol, units, %, and their rates (mg/h, micrograms/hour,
  mL/min, mg/kg …) — in English, Russian, Kazakh, Chinese and Swedish spellings (мг, мкг,
  микрограмм, мл, мг/ч, 毫克, 微克, 毫升, mikrogram, mikrogram/timme, enheter, E …).
  Source and translation must have the same multiset of (number, unit): a changed
  number, a swapped unit (mg ↔ micrograms), a dropped or an added dose all differ.
- **fractions and ratios**: ``1/6``, ``÷ 2``, "divide by 2" (разделить на 2, 2-ге бөлу,
  除以2, dividera med 2): the same fractions and the same divisors.
- **times**: a number with hours, minutes, days or weeks (every 4 hours, 12–24 hours,
  var 4:e timme). The translation must not add one the source does not have, and keeps
  the source's, except where languages say it in words: "per 24 hours" / "24-hour" →
  «в сутки», «суточная», тәулік, 每日, per dygn, dygnsdos; "every 1 minute" → «каждую
  минуту», varje minut. Frequencies follow the language ("twice daily" → «2 раза в
  сутки», 每日两次, två gånger dagligen): a bare number is not compared.

Numbers are compared as values: ``0.5`` = ``0,5`` where the language writes a decimal
comma (Babel's number symbols: ru, kk, sv), and a dotted decimal is accepted everywhere.

A letter is a letter of any script (å, ä, ö, ё, ә …: "2 gånger" is no 2 g), except
Chinese characters, which may touch a number or a unit (吗啡5毫克).
"""

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from flask_babel import lazy_gettext as _l

# 1,000 (English thousands), 1 000 (Russian, with a space or a thin space), 0.5, 0,5
_NUMBER = r"\d+(?:(?:,|[ \u00a0\u202f])\d{3}(?!\d))*(?:[.,]\d+)?"
# a letter of any script but Chinese (a word character that is no digit and no "_")
_LETTER = r"[^\W\d_\u3400-\u9fff]"
_LETTER_END = rf"(?!{_LETTER})"
# a number not glued to letters or other digits (SpO2, CG140, 2018/19's "19")
_START = rf"(?<!{_LETTER})(?<![\d_/÷])(?<!\d[.,])"
_START_OF_TIME = rf"(?<!{_LETTER})(?<![\d_÷])(?<!\d[.,])"  # mg/24 h
_TO = r"–|—|-|‑|~|～|至|to|до|till"
# Swedish ordinals: var 4:e timme, var 2:a dag, var 4–6:e timme
_ORDINAL = r"(?::[ae])?"


def _range(start: str = _START, ordinal: str = "") -> str:
    """A number or a range of two (20–30, 2 to 4), as the groups ``first`` and ``last``."""
    return (
        rf"{start}(?P<first>{_NUMBER}){ordinal}"
        rf"(?:\s*(?:{_TO})\s*(?P<last>{_NUMBER}){ordinal})?"
    )


# canonical unit → spellings (longest first where one is the start of another)
_MASS_UNITS = {
    "micrograms": (r"micrograms?", r"mcg", r"µg", r"μg", r"мкг", r"микрограмм\w*", r"微克")
    + (r"mikrogram", r"mikrog"),
    "mg": (r"mg", r"milligrams?", r"мг", r"миллиграмм\w*", r"毫克"),
    "g": (r"g", r"grams?", r"г", r"грамм\w*", r"克"),
    "mL": (r"mL", r"ml", r"millilit(?:re|er)s?", r"мл", r"миллилитр\w*", r"毫升"),
    "mmol": (r"mmol", r"ммоль", r"毫摩尔"),
    "units": (r"units?", r"ЕД", r"ед\.", r"бірлік\w*", r"单位") + (r"enhet(?:er)?", r"E"),
}
# (mg/h, mg per hour, мг в час, mg i timmen …)
_PER = {
    "h": r"(?:/\s*|\s+per\s+|\s+an\s+|\s+в\s+|\s+i\s+|\s*每)"
    r"(?:hours?|hr|h|час|ч|сағат\w*|сағ|小时|时|timme|timmen|tim)",
    "min": r"(?:/\s*|\s+per\s+|\s+в\s+|\s+i\s+|\s*每)"
    r"(?:minutes?|min|минуту|мин|минут\w*|分钟|minut|minuten)",
    "kg": r"(?:/\s*|\s+per\s+|\s+на\s+)(?:kg|кг|千克|公斤)",
    "mL": r"/\s*(?:mL|ml|мл|毫升)",
    "L": r"/\s*(?:L|л|升)",
}
_TIME_UNITS = {
    "h": (r"-?hours?", r"hrs?", r"h", r"час\w*", r"ч", r"сағат\w*", r"сағ", r"个?小时")
    + (r"timm\w*", r"tim"),  # timme, timmar, 24-timmarsdos
    "min": (r"-?minutes?", r"mins?", r"минут\w*", r"мин", r"分钟") + (r"minut\w*",),
    "d": (r"-?days?", r"д(?:ень|ня|ней)", r"сут(?:ок|ки)", r"күн\w*", r"тәулік\w*", r"天", r"日")
    + (r"dygn\w*", r"dag(?:ar|en|arna|ars)?"),  # not "3 dagliga doser"
    "w": (r"-?weeks?", r"недел\w*", r"апта\w*", r"周", r"星期", r"veck(?:a|or|an|orna|ors)"),
}
_CJK_UNITS = re.compile(r"[\u3400-\u9fff]")


def _unit_pattern(spellings: tuple[str, ...]) -> str:
    """A unit in Latin or Cyrillic letters must not run into a word (mg, not mgs; 64
    года is no gram); a Chinese one is followed by more Chinese."""
    return "|".join(s if _CJK_UNITS.match(s) else rf"(?:{s}){_LETTER_END}" for s in spellings)


_DOSE = re.compile(
    _range()
    + r"\s*(?:"
    + "|".join(rf"(?P<{name}>{_unit_pattern(s)})" for name, s in _MASS_UNITS.items())
    + r"|(?P<percent>%|％))"
    + r"(?:"
    + "|".join(rf"(?P<per_{name}>{s}{_LETTER_END})" for name, s in _PER.items())
    + r")?"
)
_TIME = re.compile(
    _range(_START_OF_TIME, _ORDINAL)
    + r"[\s-]*(?:"
    + "|".join(rf"(?P<{name}>{_unit_pattern(s)})" for name, s in _TIME_UNITS.items())
    + ")"
)
_FRACTION = re.compile(rf"{_START}(\d+)\s*/\s*(\d+)(?![\d/]|[.,]\d)")
_PLAIN_RANGE = rf"{_START}({_NUMBER})(?:\s*(?:{_TO})\s*({_NUMBER}))?"
_DIVIDE = re.compile(
    rf"÷\s*\**\s*{_PLAIN_RANGE}"
    rf"|(?:divid\w*|\bdivision)\s+by\s+\**\s*{_PLAIN_RANGE}"
    rf"|(?:раз)?дел\w*\s+на\s+\**\s*{_PLAIN_RANGE}"
    rf"|除以\s*\**\s*{_PLAIN_RANGE}"
    rf"|\b(?:divider|dela)\w*\s+med\s+\**\s*{_PLAIN_RANGE}"
    rf"|{_PLAIN_RANGE}\**\s*-?\s*(?:ге|ке|ға|қа|не|на)?\s+бөл\w*",
    re.IGNORECASE,
)
# words that stand for "24 hours" or "1 day" where a language has one
DAY_WORDS = re.compile(
    r"\bdaily\b|\bday\b|сутк|суточ|сут\b|в день|ежеднев|тәулік|күніне|日|天"
    r"|dygn|\bdagligen\b|\bdag\b|\bom dagen\b",
    re.IGNORECASE,
)


# The units a numeric quiz answer may be typed with: the dose units above (one table for
# the safety net and the quizzes) and the percent sign.
_ANSWER_UNITS = {
    **_MASS_UNITS,
    "%": (r"%", r"％", r"percent", r"per cent", r"процент\w*", r"пайыз"),
}
_ANSWER_UNIT = re.compile(
    "(?:"
    + "|".join(rf"(?P<u{i}>{'|'.join(s)})" for i, s in enumerate(_ANSWER_UNITS.values()))
    + r")(?=$|[\s/(])",
    re.IGNORECASE,
)


def unit_named(text: str, leading: bool = False) -> str | None:
    """The canonical unit (``mg``, ``micrograms``, ``mL``, ``%`` …) that ``text`` spells in
    any of the platform's languages ("MG", "milligrams", "мг", "毫克" → ``mg``): the whole
    text, or only its first word when ``leading`` ("mg per 24 hours" → ``mg``)."""
    text = text.strip()
    match = _ANSWER_UNIT.match(text)
    if match is None:
        return None
    if match.end() < len(text) and not leading:
        return None
    names = list(_ANSWER_UNITS)
    index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
    unit = names[index]
    # matching ignores case (mg, MG, Mg are one unit) except for Swedish "E" (enheter)
    if unit == "units" and match.group(0) == "e":
        return None
    return unit


@cache
def decimal_comma(locale: str) -> bool:
    """Whether ``locale`` writes decimals with a comma (Babel's number symbols)."""
    try:
        return Locale.parse(locale).number_symbols["latn"]["decimal"] == ","
    except (ValueError, UnknownLocaleError, KeyError):
        return False


def _value(text: str, comma: bool) -> Decimal | None:
    text = re.sub(r"[ \u00a0\u202f]", "", text)  # 1 000 мг
    if not comma and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")  # 1,000 mg in English
    if "," in text:
        if not comma:
            return None  # "1,5" in a language with a decimal point: not a number we read
        text = text.replace(",", ".")
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def _show(value: Decimal) -> str:
    return format(value, "f")


def _range_values(match, comma: bool) -> list[Decimal]:
    values = [_value(match.group("first"), comma)]
    if match.group("last"):
        values.append(_value(match.group("last"), comma))
    return [v for v in values if v is not None]


def _named(match, names) -> str | None:
    return next((name for name in names if match.group(name)), None)


def doses(text: str, comma: bool = False) -> Counter:
    """``Counter`` of ``"<number> <unit>"``: every number with a dose unit in ``text``."""
    found = Counter()
    for match in _DOSE.finditer(text):
        unit = _named(match, [*_MASS_UNITS, "percent"])
        unit = "%" if unit == "percent" else unit
        per = _named(match, [f"per_{name}" for name in _PER])
        if per:
            unit = f"{unit}/{per.removeprefix('per_')}"
        values = _range_values(match, comma)
        if unit == "g" and len(values) == 1 and _looks_like_year(match.group("first")):
            continue  # «2019 г.»: a year
        for value in values:
            found[f"{_show(value)} {unit}"] += 1
    return found


def _looks_like_year(number: str) -> bool:
    return number.isdigit() and 1900 <= int(number) <= 2100


def fractions(text: str) -> Counter:
    """``Counter`` of ``"a/b"`` in ``text`` (years such as 2018/19 are not fractions)."""
    found = Counter()
    for numerator, denominator in _FRACTION.findall(text):
        if int(numerator) < 1000 and int(denominator) > 0:
            found[f"{int(numerator)}/{int(denominator)}"] += 1
    return found


def divisors(text: str, comma: bool = False) -> Counter:
    """``Counter`` of ``"÷ n"``: every ratio written as a division."""
    found = Counter()
    for match in _DIVIDE.finditer(text):
        for first, last in _groups_of(match):
            for raw in filter(None, (first, last)):
                value = _value(raw, comma)
                if value is not None:
                    found[f"÷ {_show(value)}"] += 1
    return found


def _groups_of(match):
    """The (first, last) pairs of whichever alternative of ``_DIVIDE`` matched."""
    groups = match.groups()
    return [(groups[i], groups[i + 1]) for i in range(0, len(groups), 2) if groups[i]]


def times(text: str, comma: bool = False) -> Counter:
    """``Counter`` of ``"<number> <h|min|d>"``: hours, minutes and days in ``text``."""
    found = Counter()
    cleaned = _DOSE.sub(" ", text)  # "mg/h" is a rate, not an hour
    for match in _TIME.finditer(cleaned):
        unit = _named(match, _TIME_UNITS)
        for value in _range_values(match, comma):
            found[f"{_show(value)} {unit}"] += 1
    return found


_SAID_IN_WORDS = {"24 h", "1 d", "1 h", "1 min"}


def compare(source: str, translation: str, locale: str) -> list[str]:
    """What differs between the quantities of ``source`` (English) and ``translation``
    (in ``locale``), as short phrases; empty when they agree."""
    comma = decimal_comma(locale)
    differences = _dose_differences(source, translation, comma)
    for what, wanted, got in (
        ("fraction", fractions(source), fractions(translation)),
        ("ratio", divisors(source), divisors(translation, comma)),
    ):
        differences += _phrases(what, (wanted - got).elements(), (got - wanted).elements())
    wanted, got = times(source, False), times(translation, comma)
    missing = [
        t
        for t in wanted
        if t not in got and not (t in _SAID_IN_WORDS and _said_in_words(t, translation))
    ]
    extra = [t for t in got if t not in wanted and not _equivalent_in_source(t, source)]
    differences += _phrases("time", missing, extra)
    return differences


def _dose_differences(source: str, translation: str, comma: bool) -> list[str]:
    """Doses differ, except where one side names the unit once for a list of numbers
    (“60, 30 or 20 mL/min”, “if eGFR is 20” → «20 мл/мин»): a dose one side lacks
    is accepted when that side has its number bare and uses its unit elsewhere."""
    wanted, got = doses(source, False), doses(translation, comma)
    missing = [d for d in (wanted - got).elements() if not _implied(d, translation, got, comma)]
    extra = [d for d in (got - wanted).elements() if not _implied(d, source, wanted, False)]
    return _phrases("dose", missing, extra)


def _implied(dose: str, text: str, text_doses: Counter, comma: bool) -> bool:
    number, unit = dose.split(" ", 1)
    units = {other.split(" ", 1)[1] for other in text_doses}
    return unit in units and number in bare_numbers(text, comma)


def bare_numbers(text: str, comma: bool = False) -> set[str]:
    """The numbers of ``text`` that are no dose (no unit after them)."""
    rest = _DOSE.sub(" ", text)
    return {
        _show(value)
        for raw in re.findall(rf"{_START}{_NUMBER}", rest)
        if (value := _value(raw, comma)) is not None
    }


def _said_in_words(quantity: str, translation: str) -> bool:
    """24 hours or 1 day may be a word for "day"; "every 1 minute" "each minute"."""
    if quantity in ("24 h", "1 d"):
        return bool(DAY_WORDS.search(translation))
    return True


def _equivalent_in_source(quantity: str, source: str) -> bool:
    return quantity in ("24 h", "1 d") and bool(DAY_WORDS.search(source))


# Whole sentences, one per kind, so that each language can make them agree.
MISSING = {
    "dose": _l("dose %(values)s of the source is missing"),
    "fraction": _l("fraction %(values)s of the source is missing"),
    "ratio": _l("ratio %(values)s of the source is missing"),
    "time": _l("time %(values)s of the source is missing"),
}
EXTRA = {
    "dose": _l("dose %(values)s is not in the source"),
    "fraction": _l("fraction %(values)s is not in the source"),
    "ratio": _l("ratio %(values)s is not in the source"),
    "time": _l("time %(values)s is not in the source"),
}


def _phrases(what: str, missing, extra) -> list[str]:
    missing, extra = sorted(missing), sorted(extra)
    phrases = []
    if missing:
        phrases.append(MISSING[what] % {"values": ", ".join(missing)})
    if extra:
        phrases.append(EXTRA[what] % {"values": ", ".join(extra)})
    return phrases
