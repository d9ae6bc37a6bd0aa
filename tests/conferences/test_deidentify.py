"""De-identification of case submissions: a corpus in five languages, and the checksums.

The corpus (tests/conferences/corpus/*.yaml) holds texts with identifiers, each with the
passages that must be found, and clean clinical texts full of doses, lab values, dates,
scores and codes, on which nothing should be. Recall must be total; false alarms on clean
texts are allowed up to 2 % (run with -s to see the figures).
"""

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
import yaml
from flask_babel.speaklater import LazyString

from app.cases import identifiers
from app.cases.deidentify import KIND_LABELS, KINDS, Finding, _merge, scan, scan_text

CORPUS_DIR = Path(__file__).parent / "corpus"
LANGUAGES = ("en", "ru", "kk", "zh", "sv")
MAX_FALSE_ALARM_RATE = 0.02


def _load_corpus() -> list[dict]:
    entries = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        for number, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), 1):
            expect = [(item["kind"], str(item["text"])) for item in entry["expect"]]
            entries.append({"id": f"{path.stem}#{number}", "text": entry["text"], "expect": expect})
    return entries


CORPUS = _load_corpus()
IDENTIFYING = [entry for entry in CORPUS if entry["expect"]]
CLEAN = [entry for entry in CORPUS if not entry["expect"]]


def _found(entry: dict) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan_text("case", entry["text"])]


# --- The corpus itself ---------------------------------------------------------------------


def test_corpus_is_large_enough_in_every_language_and_kind():
    kinds = Counter(kind for entry in IDENTIFYING for kind, _ in entry["expect"])
    languages = Counter(entry["id"].split("#")[0] for entry in CORPUS)
    print(f"\ncorpus: {len(IDENTIFYING)} texts with identifiers, {len(CLEAN)} clean")
    print("identifiers per kind:", dict(sorted(kinds.items())))
    assert len(IDENTIFYING) >= 60
    assert len(CLEAN) >= 60
    assert {kind: n for kind, n in kinds.items() if n < 4} == {}
    assert set(kinds) >= set(KINDS)
    assert set(languages) == set(LANGUAGES)
    for language in LANGUAGES:
        clean = [e for e in CLEAN if e["id"].startswith(f"{language}#")]
        assert len(clean) >= 10, language


def test_expected_kinds_are_known():
    assert {kind for entry in IDENTIFYING for kind, _ in entry["expect"]} <= set(KINDS)


# --- Recall and false alarms ---------------------------------------------------------------


def test_recall_is_total():
    expected = found = 0
    misses = []
    for entry in IDENTIFYING:
        remaining = Counter(_found(entry))
        for item in entry["expect"]:
            expected += 1
            if remaining[item] > 0:
                remaining[item] -= 1
                found += 1
            else:
                misses.append((entry["id"], item, _found(entry)))
    print(f"\nrecall: {found}/{expected} identifiers found ({found / expected:.1%})")
    assert misses == []


def test_false_alarms_on_clean_texts_are_rare():
    alarms = [(entry["id"], _found(entry)) for entry in CLEAN if _found(entry)]
    rate = len(alarms) / len(CLEAN)
    print(f"\nfalse alarms: {len(alarms)} of {len(CLEAN)} clean texts ({rate:.1%})", alarms)
    extra = []
    for entry in IDENTIFYING:
        unexpected = Counter(_found(entry)) - Counter(entry["expect"])
        extra += [(entry["id"], item) for item in unexpected.elements()]
    print(f"unexpected findings in texts with identifiers: {len(extra)}", extra)
    assert rate <= MAX_FALSE_ALARM_RATE, alarms


@pytest.mark.parametrize("entry", IDENTIFYING, ids=[e["id"] for e in IDENTIFYING])
def test_offsets_point_at_the_passage(entry):
    for finding in scan_text("case", entry["text"]):
        assert entry["text"][finding.start : finding.end] == finding.text


# --- Check digits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("480312400125", True),  # second pass of the weights needed
        ("520711300569", True),
        ("751228300981", True),
        ("480312400126", False),  # check digit off by one
        ("481312400125", False),  # month 13
        ("480312700125", False),  # century digit 7
        ("48031241768" + "0", False),  # both passes give 10: no such IIN
        ("4803124001", False),
    ],
)
def test_iin(number, valid):
    assert identifiers.iin_valid(number) is valid


def test_iin_check_digit_none_when_both_passes_give_ten():
    assert identifiers.iin_check_digit("48031241768") is None


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("811218-9876", True),  # Skatteverket's example
        ("19121212-1212", True),  # Tolvan Tolvansson
        ("191212121212", True),
        ("121212+1212", True),  # a centenarian
        ("450272-5536", True),  # samordningsnummer: day 12 + 60
        ("811218-9877", False),
        ("811318-9876", False),  # month 13
        ("450292-5536", False),  # day 32 - 60 is no day, and 92 is none either
        ("21121212-1212", False),  # century 21
    ],
)
def test_personnummer(number, valid):
    assert identifiers.personnummer_valid(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("11010519491231002X", True),  # the standard's own example
        ("11010519491231002x", True),
        ("110105194803121238", True),
        ("110105194803121239", False),
        ("110105194813121238", False),  # month 13
        ("110105180003121238", False),  # born in 1800
        ("11010519480312123", False),
    ],
)
def test_china_id(number, valid):
    assert identifiers.china_id_valid(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("112-233-445 95", True),  # the commonly quoted example
        ("123-456-789 64", True),  # sum 165, mod 101
        ("100-018-999 00", True),  # sum 100 gives 00
        ("200-008-899 00", True),  # sum 101 gives 00
        ("12345678964", True),
        ("123-456-789 65", False),
        ("001-001-998 10", False),  # issued before checksums: cannot be checked
        ("123-456-789 6", False),
    ],
)
def test_snils(number, valid):
    assert identifiers.snils_valid(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("943 476 5919", True),  # NHS Digital's example
        ("9434765919", True),
        ("943-476-5919", True),
        ("943 476 5918", False),
        ("401 023 2137", True),
        ("123 456 7890", False),  # check digit 10: never issued
    ],
)
def test_nhs(number, valid):
    assert identifiers.nhs_valid(number) is valid


@pytest.mark.parametrize(
    "text",
    [
        "NHS number 943 476 5918 (check digit wrong, label says what it is)",
        "The patient's NHS no. is 9434765918.",
        "CHI 0101501234 recorded.",
        "Seen with 943 476 5919 on the referral.",  # written NHS form, valid: no label needed
    ],
)
def test_nhs_and_chi_numbers_are_refused(text):
    assert [f.kind for f in scan_text("case", text)] == ["national_id"]


@pytest.mark.parametrize(
    "text",
    [
        "Morphine 2.5 mg SC, 4 doses in 24 hours; eGFR 28 on 12/03.",
        "Ring the ward on 0701234567 for the rota.",  # bare ten digits: a phone number
    ],
)
def test_ten_digit_numbers_without_the_nhs_form_or_label_pass(text):
    assert "national_id" not in {f.kind for f in scan_text("case", text)}


@pytest.mark.parametrize(
    ("number", "valid"),
    [("S1234567D", True), ("T0123456G", True), ("F1234567N", True), ("S1234567A", False)],
)
def test_nric(number, valid):
    assert identifiers.nric_valid(number) is valid


# --- Labels, merging, the API ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ИИН 480312400126", "iin"),
        ("personnummer 811218-9877", "personnummer"),
        ("身份证号：110105194803121239", "china_id"),
        ("СНИЛС 123-456-789 65", "snils"),
    ],
)
def test_a_labelled_number_counts_whatever_its_check_digit(text, kind):
    assert [f.kind for f in scan_text("case", text)] == [kind]


@pytest.mark.parametrize(
    "text",
    ["Sample 480312400126 sent", "Sample 811218-9877 sent", "Sample 110105194803121239 sent"],
)
def test_an_unlabelled_number_with_a_wrong_check_digit_does_not(text):
    assert scan_text("case", text) == []


def test_overlapping_findings_merge_into_the_more_specific_kind():
    # "MRN" labels the number (mrn) and the number is a valid IIN (iin): one finding.
    assert scan_text("history", "MRN 480312400125") == [
        Finding("history", 4, 16, "iin", "480312400125")
    ]
    # A Chinese mobile number given as the case number: the label wins over the pattern.
    assert [(f.kind, f.text) for f in scan_text("h", "case no. 13800138000")] == [
        ("mrn", "13800138000")
    ]


def test_merge_covers_both_spans_and_keeps_separate_ones_apart():
    spans = [(10, 20, "name"), (0, 12, "phone"), (5, 8, "iin"), (30, 35, "email")]
    assert _merge(spans) == [(0, 20, "iin"), (30, 35, "email")]
    assert _merge([(0, 5, "phone"), (5, 9, "email")]) == [(0, 5, "phone"), (5, 9, "email")]


def test_scan_sorts_by_field_then_offset():
    findings = scan(
        {
            "summary": "Mrs Anna Berg, DOB 12/03/1948.",
            "history": "Call 070-123 45 67 or anna@example.se.",
            "question": "",
        }
    )
    assert [(f.field, f.kind, f.text) for f in findings] == [
        ("history", "phone", "070-123 45 67"),
        ("history", "email", "anna@example.se"),
        ("summary", "name", "Anna Berg"),
        ("summary", "dob", "12/03/1948"),
    ]


def test_findings_are_frozen():
    finding = scan_text("case", "MRN 123456")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "name"


def test_every_kind_has_a_lazy_label():
    assert tuple(KIND_LABELS) == KINDS
    assert all(isinstance(label, LazyString) for label in KIND_LABELS.values())
