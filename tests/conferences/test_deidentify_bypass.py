"""The guard reads the text as a reader sees it (issue 14): characters that hide an
identifier from a pattern, and the kinds of identifier an independent corpus found."""

import pytest

from app.cases import services as cases
from app.cases.deidentify import scan_text
from app.cases.normalise import normalise


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan_text("case", text)]


@pytest.mark.parametrize(
    ("text", "kind", "passage"),
    [
        ("Tel ０７０-１２３ ４５ ６７.", "phone", "０７０-１２３ ４５ ６７"),  # full-width digits
        ("手机１３８００１３８０００。", "phone", "１３８００１３８０００"),
        ("Call 070\u200b-123\u200b45 67 today", "phone", "070\u200b-123\u200b45 67"),
        ("Call 070&#8203;-123 45 67 today", "phone", "070&#8203;-123 45 67"),
        ("Call 070&#x200B;-123 45 67 today", "phone", "070&#x200B;-123 45 67"),
        ("Call 070\u00ad-123 45 67 today", "phone", "070\u00ad-123 45 67"),  # soft hyphen
        ("Call 070\u2011123 45 67 today", "phone", "070\u2011123 45 67"),  # non-breaking hyphen
        ("Mail anna\u200b.berg@example.se now", "email", "anna\u200b.berg@example.se"),
        ("Mail anna&#8203;.berg@example&#46;se now", "email", "anna&#8203;.berg@example&#46;se"),
        ("Mail ａｎｎａ＠ｅｘａｍｐｌｅ．ｓｅ now", "email", "ａｎｎａ＠ｅｘａｍｐｌｅ．ｓｅ"),
        ("ИИН ４８０３１２４００１２５ в выписке", "iin", "４８０３１２４００１２５"),
    ],
)
def test_hidden_characters_do_not_hide_an_identifier(text, kind, passage):
    assert _found(text) == [(kind, passage)]


def test_findings_point_at_the_text_as_written():
    text = "Daughter: 070&#8203;-123 45 67."
    [finding] = scan_text("case", text)
    assert (finding.start, finding.end) == (10, 30)
    assert text[finding.start : finding.end] == finding.text == "070&#8203;-123 45 67"


def test_normalise_keeps_a_map_back_to_the_original():
    seen = normalise("a&#8203;b\u00ad１&amp;e\u0301")
    assert seen.text == "ab1&é"
    assert seen.span(0, 2) == (0, 9)  # "a&#8203;b": the reference belongs to its character
    assert seen.span(2, 3) == (10, 11)
    assert seen.span(3, 4) == (11, 16)  # &amp;
    assert seen.span(4, 5) == (16, 18)  # e and its combining accent


@pytest.mark.parametrize(
    ("text", "kind", "passage"),
    [
        # A label and a number of the right shape, whatever the check digit.
        ("ИИН пациента: 480312400126", "iin", "480312400126"),
        ("personnummer: 19451312-1234", "personnummer", "19451312-1234"),
        ("Patientens personnummer är 450312-1235.", "personnummer", "450312-1235"),
        ("Chinese ID 110105194803121239 on file.", "china_id", "110105194803121239"),
        ("СНИЛС больного 123-456-789 65", "snils", "123-456-789 65"),
        # Chinese dates of birth, the label after the date.
        ("患者1944年9月7日出生，肺癌晚期。", "dob", "1944年9月7日"),
        ("患者1966-06-07出生。", "dob", "1966-06-07"),
        # Russian and Kazakh phone numbers with a hyphen after the 8.
        ("Звонить сыну: 8-903-939-66-39.", "phone", "8-903-939-66-39"),
        # English record-number labels.
        ("Hospital record number 8485198.", "mrn", "8485198"),
        ("The record number 2026-290275 was used.", "mrn", "2026-290275"),
        # Addresses.
        (
            "Проживает: с. Каскелен, ул. Абылай хана, д. 180.",
            "address",
            "с. Каскелен, ул. Абылай хана, д. 180",
        ),
        ("家住北京市朝阳区望京西园222号楼。", "address", "北京市朝阳区望京西园222号楼"),
        ("Lives at Profsoyuznaya Street 128, apt 60, Moscow.", "address",
         "Profsoyuznaya Street 128, apt 60"),
    ],
)  # fmt: skip
def test_kinds_an_independent_corpus_found(text, kind, passage):
    assert _found(text) == [(kind, passage)]


@pytest.mark.parametrize(
    ("text", "kind", "passage"),
    [
        ("ИИН: 480312 400126", "national_id", "480312 400126"),  # spaced: labelled
        ("身份证：110105 19480312 1239", "national_id", "110105 19480312 1239"),
        ("personnummer 19450312 1234", "national_id", "19450312 1234"),
        ("NHS number 943 476 5919", "national_id", "943 476 5919"),
        ("Daughter's number is 07700 900123.", "phone", "07700 900123"),
        ("Dotterns nummer 070 123 45 67.", "phone", "070 123 45 67"),
        ("家属联系010-87654321。", "phone", "010-87654321"),
        ("患者，1944年9月7日生，男。", "dob", "1944年9月7日"),
        ("1944 жылғы 7 қыркүйекте туған", "dob", "1944 жылғы 7 қыркүйекте"),
        ("Пациентка 07.09.1944 г.р., вдова.", "dob", "07.09.1944"),
        ("lives on Lenin street 5, flat 3", "address", "Lenin street 5, flat 3"),
        ("ul. Lenina 5, kv. 3", "address", "ul. Lenina 5, kv. 3"),
    ],
)
def test_other_ways_of_writing_them(text, kind, passage):
    assert _found(text) == [(kind, passage)]


@pytest.mark.parametrize(
    "text",
    [
        "Morphine 2.5–5 mg s.c. q4h PRN; ICD C34.1, Z51.5; ECOG ３; eGFR 41 mL/min/1.73 m².",
        "Oxycodone 10 mg at 8-12-16-20 h; NRS 8/10 → 3/10; 2026-03-14 to 2026-03-21.",
        "患者在肿瘤科病区3号床，吗啡缓释片30 mg q12h。",
        "转入市人民医院2号楼5层姑息病房。",
        "2026年3月14日生化检查：肌酐98 μmol/L。患者1944年出生，82岁。",
        "ИИН не указан; СНИЛС не требуется; record no longer kept.",
    ],
)
def test_clinical_text_stays_clean(text):
    assert _found(text) == []


def test_the_case_form_refuses_a_phone_number_hidden_by_a_character_reference(app):
    with pytest.raises(cases.IdentifiersFound) as error:
        cases.checked_texts({"context": "Daughter: 070&#8203;-123 45 67."})
    [finding] = error.value.findings
    assert finding.kind == "phone"
