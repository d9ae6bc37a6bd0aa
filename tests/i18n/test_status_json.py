"""``flask translations status --json``: per locale and course, translated, stale,
missing, and the safety-critical segments missing or stale."""

import json

from tests.i18n.test_workflow import _run, scratch  # noqa: F401

DOSE = 'msgid "Morphine 5 mg by mouth as needed."'


def test_status_as_json_counts_each_locale_and_course(scratch):  # noqa: F811
    app, root = scratch
    russian = root / "courses/sample-course/translations/ru.po"
    russian.write_text(russian.read_text(encoding="utf-8").replace(DOSE, f"#, fuzzy\n{DOSE}"),
                       encoding="utf-8")  # fmt: skip
    result = _run(app, "translations", "status", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["locales"]
    ru, kk = report["ru"]["courses"]["sample-course"], report["kk"]["courses"]["sample-course"]
    assert ru["total"] == kk["total"] > 0
    assert ru["translated"] + ru["stale"] + ru["missing"] == ru["total"]
    assert ru["stale"] == 1 and ru["safety_critical_stale"] == 1
    assert ru["safety_critical_missing"] == 0
    assert kk["safety_critical"] == ru["safety_critical"] >= 1
    assert kk["safety_critical_missing"] == kk["safety_critical"] - kk["safety_critical_translated"]
    assert kk["safety_critical_translated"] == 0 and kk["safety_critical_stale"] == 0
    assert report["sv"]["courses"]["sample-course"]["missing"] == ru["total"]  # no catalog
    assert report["ru"]["interface"]["translated"] > 0
    assert "en" not in report


def test_status_keeps_its_text_form(scratch):  # noqa: F811
    app, _root = scratch
    result = _run(app, "translations", "status")
    assert result.exit_code == 0, result.output
    assert "ru/sample-course" in result.output and not result.output.lstrip().startswith("{")
