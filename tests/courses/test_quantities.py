"""The numeric safety net of `flask courses validate`: a translated safety-critical
segment keeps every dose, fraction, ratio and time of its source."""

from collections import Counter
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


# Swedish: units and times written out as a Swedish pharmacist would read them
# ("mikrogram" in full, "var 4:e timme", "per dygn"), decimal comma, and å ä ö as letters
SWEDISH = [
    (
        "Start with **20–30 mg oral morphine per 24 hours**, for example modified-release "
        "(MR) morphine **10–15 mg twice daily**.",
        "Börja med **20–30 mg peroralt morfin per dygn**, till exempel morfin i "
        "depåberedning (MR) **10–15 mg två gånger dagligen**.",
    ),
    (
        "**IR oral morphine 5 mg every 4 hours**, plus as-needed doses",
        "**Peroralt IR-morfin 5 mg var 4:e timme**, plus vid behovs-doser",
    ),
    (
        "**IR oral morphine 2.5 mg every 4–6 hours**",
        "**Peroralt IR-morfin 2,5 mg var 4–6:e timme**",
    ),
    ("usually every **2–4 hours** as needed", "vanligen var **2:a–4:e timme** vid behov"),
    (
        "The patch takes **12–24 hours** to work fully.",
        "Plåstret når full effekt efter **12–24 timmar**.",
    ),
    ("Change it every **72 hours** (3 days).", "Byt det var **72:e timme** (var 3:e dag)."),
    ("Patch is changed every 3, 4 or 7 days", "Plåstret byts var 3:e, 4:e eller 7:e dag"),
    (
        "at most **30 mg in 24 hours** for at most **5 days**",
        "högst **30 mg per dygn** i högst **5 dagar**",
    ),
    ("Review at least every **24 hours**.", "Utvärdera minst en gång per **dygn**."),
    ("a 24-hour dose of 60 mg", "en dygnsdos på 60 mg"),
    ("Fentanyl patch 12 micrograms/hour", "Fentanylplåster 12 mikrogram/timme"),
    ("Fentanyl patch 12 micrograms/hour", "Fentanylplåster 12 mikrogram/h"),
    ("Fentanyl patch 12 micrograms/hour", "Fentanylplåster 12 mikrogram per timme"),
    ("Fentanyl patch 12 micrograms/hour", "Fentanylplåster 12 mikrogram i timmen"),
    ("Morphine 10 mg/hour", "Morfin 10 mg/h"),
    (
        "Dilute **naloxone 400 micrograms to 10 mL**. This gives 40 micrograms in each mL.",
        "Späd **400 mikrogram naloxon till 10 ml**. Det ger 40 mikrogram per ml.",
    ),
    ("Give **40 micrograms every 1 minute**", "Ge **40 mikrogram varje minut**"),
    ("Give 100 micrograms every 2 minutes", "Ge 100 mikrog var 2:a minut"),
    ("Divide by **1.5–2**", "Dividera med **1,5–2**"),
    ("oral to SC morphine: divide by 2", "peroralt till s.c. morfin: dela med 2"),
    ("80 mg ÷ 2 = 40 mg", "80 mg ÷ 2 = 40 mg"),
    ("Haloperidol **0.5 mg** twice", "Haloperidol **0,5 mg** 2 gånger"),
    ("Codeine 60 mg four times daily", "Kodein 60 mg 4 gånger dagligen"),
    ("raise by **30–50%**", "höj med **30–50 %**"),
    ("Insulin 10 units", "Insulin 10 enheter"),
    ("Insulin 10 units", "Insulin 10 E"),
    ("Tramadol 50 mg every 12 hours for 1–2 weeks", "Tramadol 50 mg var 12:e timme i 1–2 veckor"),
    ("Paracetamol 1,000 mg", "Paracetamol 1 000 mg"),
]
MORPHINE_EN, MORPHINE_SV = SWEDISH[1]
FENTANYL_EN = "Fentanyl patch 12 micrograms/hour"
METOCLOPRAMIDE_EN = SWEDISH[7][0]


@pytest.mark.parametrize("source, translation", SWEDISH)
def test_natural_swedish_translations_pass(source, translation):
    assert compare(source, translation, "sv") == []


@pytest.mark.parametrize(
    "source, translation, expected",
    [
        (MORPHINE_EN, MORPHINE_SV.replace("4:e", "6:e"),
         ["time 4 h of the source is missing", "time 6 h is not in the source"]),
        (MORPHINE_EN, MORPHINE_SV.replace("5 mg", "15 mg"),
         ["dose 5 mg of the source is missing", "dose 15 mg is not in the source"]),
        (MORPHINE_EN, MORPHINE_SV.replace("var 4:e timme", "var fjärde timme"),
         ["time 4 h of the source is missing"]),
        (FENTANYL_EN, "Fentanylplåster 12 mg/timme",
         ["dose 12 micrograms/h of the source is missing", "dose 12 mg/h is not in the source"]),
        (FENTANYL_EN, "Fentanylplåster 12 mikrogram",
         ["dose 12 micrograms/h of the source is missing",
          "dose 12 micrograms is not in the source"]),
        ("Naloxone 400 micrograms", "Naloxon 400 mg",
         ["dose 400 micrograms of the source is missing", "dose 400 mg is not in the source"]),
        ("Naloxone 400 micrograms", "Naloxon 400",
         ["dose 400 micrograms of the source is missing"]),
        ("Morphine 10 mg", "Morfin 10 mikrogram",
         ["dose 10 mg of the source is missing", "dose 10 micrograms is not in the source"]),
        ("Haloperidol 2.5 mg", "Haloperidol 25 mg",
         ["dose 2.5 mg of the source is missing", "dose 25 mg is not in the source"]),
        (METOCLOPRAMIDE_EN, "högst **30 mg per dygn** i högst **5 veckor**",
         ["time 5 d of the source is missing", "time 5 w is not in the source"]),
        (METOCLOPRAMIDE_EN, "högst **30 mg per dygn** i högst **7 dygn**",
         ["time 5 d of the source is missing", "time 7 d is not in the source"]),
        ("Change it every **72 hours** (3 days).", "Byt det var **72:e timme**.",
         ["time 3 d of the source is missing"]),
        ("every 4 hours", "var 4:e timme i 3 dagar", ["time 3 d is not in the source"]),
        ("Divide by **1.5–2**", "Dividera med **1,5–3**",
         ["ratio ÷ 2 of the source is missing", "ratio ÷ 3 is not in the source"]),
        ("Insulin 10 units", "Insulin 10 ml",
         ["dose 10 units of the source is missing", "dose 10 mL is not in the source"]),
    ],
)  # fmt: skip
def test_wrong_swedish_translations_fail(source, translation, expected):
    assert compare(source, translation, "sv") == expected


def test_a_unit_is_not_read_inside_a_word_with_non_ascii_letters():
    assert doses("2 gånger dagligen, 3 gärna, 4 mgå", True) == Counter()
    assert doses("2 g och 5 mg", True) == Counter({"2 g": 1, "5 mg": 1})
    assert compare("Twice daily", "2 gånger dagligen", "sv") == []
    assert compare("3 doses", "3 dagliga doser", "sv") == []  # no "3 dagar"


def test_a_swedish_day_word_is_no_time_but_24_timmar_is():
    assert compare("every 4 hours", "var 4:e timme per dygn", "sv") == []  # a word, not a time
    assert compare("every 4 hours", "var 4:e timme, 24 timmar", "sv") == [
        "time 24 h is not in the source"
    ]


def test_the_swedish_catalog_is_complete_in_natural_swedish_with_no_false_alarm():
    path = REAL_COURSES / "foundations-of-palliative-care" / "translations" / "sv.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    critical = [m for m in catalog if m.id and CRITICAL_COMMENT in m.auto_comments]
    translated = [m for m in critical if m.string and not m.fuzzy]
    assert len(translated) == len(critical) >= 284
    alarms = [(m.lineno, compare(m.id, m.string, "sv")) for m in translated]
    assert [alarm for alarm in alarms if alarm[1]] == []
    # micrograms written out in full, as Swedish patient-safety practice asks
    assert not [m.lineno for m in translated if "µg" in m.string or "μg" in m.string]
