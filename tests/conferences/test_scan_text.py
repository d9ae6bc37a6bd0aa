"""``flask conferences scan-text``: the case form's checks for information-governance
officers, JSON Lines in and out (issue 14, section 3)."""

import json

import pytest

from app.cases import services as cases
from app.cases.normalise import normalise
from tests.conferences.test_deidentify import CORPUS


def _run(app, lines, args=()):
    runner = app.test_cli_runner()
    return runner.invoke(args=["conferences", "scan-text", *args], input="\n".join(lines) + "\n")


def _out(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_line_out_per_line_in_with_offsets_into_the_input(app):
    lines = [
        json.dumps({"id": 1, "text": "Daughter: 070-123 45 67, anna@example.se."}),
        json.dumps({"id": "clean", "text": "Morphine 2.5–5 mg s.c. q4h; C34.1, Z51.5."}),
        json.dumps({"id": None, "text": "  手机１３８００１３８０００"}, ensure_ascii=False),
    ]
    result = _run(app, lines)
    assert result.exit_code == 0, result.stderr
    assert _out(result) == [
        {"id": 1, "findings": [
            {"kind": "phone", "start": 10, "end": 23, "text": "070-123 45 67"},
            {"kind": "email", "start": 25, "end": 40, "text": "anna@example.se"},
        ]},
        {"id": "clean", "findings": []},
        {"id": None, "findings": [
            {"kind": "phone", "start": 4, "end": 15, "text": "１３８００１３８０００"},
        ]},
    ]  # fmt: skip
    assert result.stderr == ""


def test_markup_and_references_are_read_as_the_form_reads_them(app):
    text = "Call <b>070</b>&#8203;-123 45 67 <i>tonight</i>"
    [line] = _out(_run(app, [json.dumps({"id": "x", "text": text})]))
    [finding] = line["findings"]
    assert finding["kind"] == "phone"
    assert text[finding["start"] : finding["end"]] == finding["text"]
    assert finding["text"].startswith("070") and finding["text"].endswith("45 67")


def test_reads_a_file(app, tmp_path):
    path = tmp_path / "samples.jsonl"
    path.write_text(json.dumps({"id": 7, "text": "MRN 123456"}) + "\n", encoding="utf-8")
    result = _run(app, [], args=[str(path)])
    assert result.exit_code == 0
    assert _out(result) == [
        {"id": 7, "findings": [{"kind": "mrn", "start": 4, "end": 10, "text": "123456"}]}
    ]


def test_bad_lines_are_named_skipped_and_make_the_exit_status_non_zero(app):
    lines = [
        json.dumps({"id": 1, "text": "MRN 123456"}),
        "{not json",
        json.dumps({"id": 3}),
        json.dumps(["id", "text"]),
        "",
        json.dumps({"id": 6, "text": "clean"}),
    ]
    result = _run(app, lines)
    assert result.exit_code == 1
    assert [line["id"] for line in _out(result)] == [1, 6]
    assert "line 2:" in result.stderr
    assert "line 3:" in result.stderr
    assert "line 4:" in result.stderr
    assert "line 5" not in result.stderr  # blank lines are ignored


def test_the_help_says_what_happens_to_bad_lines(app):
    result = app.test_cli_runner().invoke(args=["conferences", "scan-text", "--help"])
    assert "skipped" in result.output and "line number" in result.output


@pytest.mark.parametrize("entry", CORPUS[::3], ids=[e["id"] for e in CORPUS[::3]])
def test_exactly_the_case_forms_checks(app, entry):
    try:
        cases.checked_texts({"text": entry["text"]})
        form = []
    except cases.IdentifiersFound as error:
        form = [(f.kind, normalise(f.text).text) for f in error.findings]
    [line] = _out(_run(app, [json.dumps({"id": entry["id"], "text": entry["text"]})]))
    # The same passages: the command's as written (&#8203;), the form's as checked.
    assert [(f["kind"], normalise(f["text"]).text) for f in line["findings"]] == form
