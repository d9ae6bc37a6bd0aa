"""The numeric safety net of `flask courses validate`: a translated safety-critical
segment keeps every dose, fraction, ratio and time of its source."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.courses.content.catalogs import CRITICAL_COMMENT
from app.courses.content.quantities import compare, doses
from tests.courses.test_validation import course_dir, edit, problems_of  # noqa: F401

REAL_COURSES = Path(__file__).resolve().parents[2] / "courses"

# Real pairs from the reviewed Russian catalog (courses/foundations-…/translations/ru.po)
RUSSIAN = [
    (
        "Start with **20–30 mg oral morphine per 24 hours**, for example modified-release "
        "(MR) morphine **10–15 mg twice daily**.",
        "Начните с **20–30 мг морфина внутрь в сутки**, например морфин пролонгированного "
        "действия **по 10–15 мг 2 раза в сутки**.",
    ),
    (
        "Rescue dose at 1/6: 60 ÷ 6 = **about 10 mg IR oral morphine**, as needed.",
        "Доза «по требованию» из расчёта 1/6: 60 ÷ 6 = **около 10 мг морфина немедленного "
        "высвобождения внутрь**, при необходимости.",
    ),
    (
        "Dilute **naloxone 400 micrograms to 10 mL**. This gives 40 micrograms in each mL.",
        "Разведите **400 мкг налоксона до общего объёма 10 мл**. Получится 40 мкг в каждом мл.",
    ),
    ("Fentanyl patch 12 micrograms/hour", "Пластырь фентанила 12 мкг/ч"),
    ("Divide by **1.5–2**", "Разделить на **1,5–2**"),
    (
        "**Example:** haloperidol **0.5 mg** by mouth or subcutaneously (SC).",
        "**Пример:** галоперидол **0,5 мг** внутрь или подкожно (п/к).",
    ),  # fmt: skip
    (
        "**20 mg SC** every 2–4 hours as needed; maximum **120 mg in 24 hours**",
        "**20 мг п/к** каждые 2–4 часа по необходимости; максимум **120 мг за 24 часа**",
    ),
    (
        "Increment sizes differ between sources: **40 micrograms every 1 minute** (US "
        '"Fast Facts") to **100 micrograms every 2 minutes** (a UK hospital trust).',
        "Размер дробной дозы различается в разных источниках: от **40 мкг каждую минуту** "
        "(американский ресурс «Fast Facts») до **100 мкг каждые 2 минуты** (одна из больниц "
        "Великобритании).",
    ),
    (
        "**eGFR cut-offs differ between sources**: **60, 30 or 20 mL/min**. For example, one "
        "Scottish health board (Glasgow) advises caution with morphine and oxycodone below "
        "60 mL/min, and alfentanil in the last days if eGFR is 20 or less.",
        "**Пороговые значения рСКФ различаются в разных источниках**: **60, 30 или 20 мл/мин**. "
        "Например, один из шотландских региональных органов здравоохранения (Глазго) "
        "рекомендует осторожность при применении морфина и оксикодона при рСКФ ниже 60 мл/мин, "
        "а в последние дни жизни при рСКФ 20 мл/мин или менее — альфентанил.",
    ),
    ("Codeine 60 mg four times daily", "Кодеин 60 мг 4 раза в сутки"),
    (
        "Beijing. Mr Zhou, 64, has prostate cancer. His back pain is 7 out of 10.",
        "Пекин. Господину Чжоу 64 года, у него рак. Боль в спине — 7 из 10.",
    ),
]
RESCUE_EN, RESCUE_RU = RUSSIAN[1]


@pytest.mark.parametrize("source, translation", RUSSIAN)
def test_the_reviewed_russian_translations_pass(source, translation):
    assert compare(source, translation, "ru") == []


@pytest.mark.parametrize(
    "translation, expected",
    [
        (RESCUE_RU.replace("10 мг", "15 мг"), ["dose 10 mg of the source is missing",
                                               "dose 15 mg is not in the source"]),
        (RESCUE_RU.replace("10 мг", "10 мкг"), ["dose 10 mg of the source is missing",
                                                "dose 10 micrograms is not in the source"]),
        (RESCUE_RU.replace("из расчёта 1/6", "из расчёта одной шестой"),
         ["fraction 1/6 of the source is missing"]),
        (RESCUE_RU.replace("60 ÷ 6", "60 ÷ 3"),
         ["ratio ÷ 6 of the source is missing", "ratio ÷ 3 is not in the source"]),
        (RESCUE_RU + " Не более 30 мг.", ["dose 30 mg is not in the source"]),
        (RESCUE_RU.replace("10 мг", "десять мг"), ["dose 10 mg of the source is missing"]),
    ],
)  # fmt: skip
def test_crafted_wrong_translations_fail(translation, expected):
    assert compare(RESCUE_EN, translation, "ru") == expected


def test_a_changed_interval_fails_and_a_daily_frequency_may_follow_the_language():
    source = "**IR oral morphine 5 mg every 4 hours**; or 60 mg per 24 hours"
    assert compare(source, "**Морфин 5 мг каждые 4 часа**; или 60 мг в сутки", "ru") == []
    assert compare(source, "**Морфин 5 мг каждые 6 часов**; или 60 мг в сутки", "ru") == [
        "time 4 h of the source is missing",
        "time 6 h is not in the source",
    ]


def test_a_decimal_comma_only_where_the_language_writes_one():
    source = "Haloperidol **0.5 mg**"
    assert compare(source, "氟哌啶醇**0.5毫克**", "zh_Hans") == []
    assert compare(source, "氟哌啶醇**0,5毫克**", "zh_Hans") == [
        "dose 0.5 mg of the source is missing"
    ]
    assert compare(source, "Галоперидол **0.5 мг**", "ru") == []


def test_chinese_and_kazakh_units_are_read():
    assert doses("芬太尼透皮贴12微克/小时，吗啡5毫克，10毫升") == doses(
        "12 micrograms/hour, 5 mg, 10 mL"
    )
    assert doses("Морфин 5 мг, 400 мкг, 10 мл, 12 мкг/сағ", True) == doses(
        "5 mg, 400 micrograms, 10 mL, 12 micrograms/h"
    )
    assert compare("Divide by 2", "2-ге бөліңіз", "kk") == []
    assert compare("Divide by 2", "除以2", "zh_Hans") == []


def test_no_false_alarm_on_the_reviewed_russian_catalog():
    path = REAL_COURSES / "foundations-of-palliative-care" / "translations" / "ru.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    critical = [m for m in catalog if m.id and CRITICAL_COMMENT in m.auto_comments]
    translated = [m for m in critical if m.string and not m.fuzzy]
    assert len(translated) >= 204
    alarms = [(m.lineno, compare(m.id, m.string, "ru")) for m in translated]
    assert [alarm for alarm in alarms if alarm[1]] == []


def test_validate_names_course_locale_segment_and_difference(course_dir):  # noqa: F811
    edit(course_dir / "translations/ru.po", "Морфин 5 мг внутрь", "Морфин 50 мг внутрь")
    [problem] = problems_of(course_dir.parent)
    assert problem.startswith("sample-course/translations/ru.po:")
    assert "“Morphine 5 mg by mouth as needed.” (sample-course, ru)" in problem
    assert "dose 5 mg of the source is missing; dose 50 mg is not in the source" in problem


def test_a_fuzzy_or_untranslated_critical_segment_is_not_compared(course_dir):  # noqa: F811
    edit(
        course_dir / "translations/ru.po",
        'msgid "Morphine 5 mg by mouth as needed."\nmsgstr "Морфин 5 мг',
        '#, fuzzy\nmsgid "Morphine 5 mg by mouth as needed."\nmsgstr "Морфин 50 мг',
    )
    assert problems_of(course_dir.parent) == []


def test_thousands_are_read_in_each_language():
    source = "Paracetamol 1,000 mg"
    assert compare(source, "Парацетамол 1 000 мг", "ru") == []
    assert compare(source, "Парацетамол 1000 мг", "ru") == []
    assert compare(source, "对乙酰氨基酚1000 mg", "zh_Hans") == []
    assert compare(source, "Парацетамол 100 мг", "ru") == [
        "dose 1000 mg of the source is missing",
        "dose 100 mg is not in the source",
    ]


def test_crafted_wrong_chinese_and_kazakh_translations_fail():
    assert compare("Fentanyl patch 12 micrograms/hour", "芬太尼透皮贴12毫克/小时", "zh_Hans") == [
        "dose 12 micrograms/h of the source is missing",
        "dose 12 mg/h is not in the source",
    ]
    assert compare(
        "Dilute naloxone 400 micrograms to 10 mL.",
        "Налоксон 400 мкг 1 мл-ге дейін сұйылтыңыз.",
        "kk",
    ) == ["dose 10 mL of the source is missing", "dose 1 mL is not in the source"]
    assert compare(
        "Rescue dose: 1/6 of the 24-hour dose", "解救剂量：24小时剂量的六分之一", "zh_Hans"
    ) == ["fraction 1/6 of the source is missing"]
