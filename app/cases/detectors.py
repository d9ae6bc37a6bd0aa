"""The detectors of the de-identification guard (app/cases/deidentify.py), one per
family of identifier. Each takes the text as the guard reads it (app/cases/
normalise.py) and yields (start, end, kind) spans in it. They lean towards recall, since a
miss leaks a patient and a false alarm costs an edit, but are written so as to leave
doses, lab values, scores, dates of care, ages and ICD codes alone.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.cases import identifiers
from app.cases.detect_names import names

Span = tuple[int, int, str]  # start, end, kind
_SP = r"[^\S\r\n]+"  # spaces within a line: a name or address does not run over a newline
_HAN = r"[\u4e00-\u9fff]"
_CAP_CYR = "А-ЯЁӘҒҚҢӨҰҮҺІ"


# --- Identity numbers with a check digit ------------------------------------------------


@dataclass(frozen=True)
class _Numbered:
    kind: str
    pattern: re.Pattern  # every way the number is written
    label: re.Pattern  # a label just before it, which makes it count whatever its check digit
    valid: Callable[[str], bool]  # whether it counts without a label


def _label(words: str) -> re.Pattern:
    # Up to three words may stand between the label and the number: "ИИН пациента:",
    # "personnummer är", "СНИЛС больного", "ID number of the patient".
    return re.compile(
        rf"(?:{words})(?:[\s:：#№.-]+[^\W\d_]{{1,15}}){{0,3}}"
        r"[\s:：#№.-]*(?:no\.?|nr\.?|number|номер|号码|号)?[\s:：#№.-]*$",
        re.I,
    )


def _spaced_snils(number: str) -> bool:
    # Eleven bare digits pass the SNILS check one time in a hundred; only the written form
    # (123-456-789 01) is distinctive enough to go without a label.
    return not number.isdigit() and identifiers.snils_valid(number)


def _written_personnummer(number: str) -> bool:
    # Ten bare digits are as likely a Swedish phone number (0701234567): label needed.
    return not (number.isdigit() and len(number) == 10) and identifiers.personnummer_valid(number)


def _written_nhs(number: str) -> bool:
    # Ten bare digits are as likely a phone number: only the written form (943 476 5919)
    # goes without a label.
    return not number.isdigit() and identifiers.nhs_valid(number)


_NUMBERED = (
    _Numbered(
        "iin", re.compile(r"(?<!\d)\d{12}(?!\d)"), _label(r"\bIIN|ИИН|ЖСН"), identifiers.iin_valid
    ),
    _Numbered(
        "personnummer",
        re.compile(r"(?<![\d-])(?:(?:18|19|20)?\d{6}[-+]\d{4}|(?:18|19|20)?\d{10})(?![\d-])"),
        _label(r"person(?:nummer|nr)|\bp-?nr|samordningsnummer"),
        _written_personnummer,
    ),
    _Numbered(
        "china_id",
        re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"),
        _label(r"身份证|身份号码|\bID\b"),
        identifiers.china_id_valid,
    ),
    _Numbered(
        "snils",
        re.compile(r"(?<![\d-])(?:\d{3}[- ]\d{3}[- ]\d{3}[- ]\d{2}|\d{11})(?![\d-])"),
        _label(r"СНИЛС"),
        _spaced_snils,
    ),
    _Numbered(
        "national_id",  # NHS and CHI numbers
        re.compile(r"(?<![\d-])\d{3}([- ]?)\d{3}\1\d{4}(?![\d-])"),
        _label(r"\bNHS|\bCHI\b"),
        _written_nhs,
    ),
    _Numbered(
        "national_id",
        re.compile(r"\b[STFG]\d{7}[A-Z]\b"),  # Singapore NRIC/FIN
        _label(r"NRIC|\bFIN|\bIC"),
        identifiers.nric_valid,
    ),
)


def _numbers(text: str) -> Iterator[Span]:
    for spec in _NUMBERED:
        for m in spec.pattern.finditer(text):
            before = text[max(0, m.start() - 50) : m.start()]
            if spec.valid(m[0]) or spec.label.search(before):
                yield m.start(), m.end(), spec.kind


# --- Numbers and dates introduced by a label ----------------------------------------------

_MONTH = (
    r"(?:jan(?:uary|uari)?|feb(?:ruary|ruari)?|mar(?:ch|s)?|apr(?:il)?|ma[yj]|jun[ei]?|jul[yi]?"
    r"|aug(?:ust|usti)?|sep(?:t|tember)?|o[ck]t(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|сентябр\w*"
    r"|октябр\w*|ноябр\w*|декабр\w*|қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*"
    r"|маусым\w*|шілде\w*|тамыз\w*|қыркүйек\w*|қазан\w*|қараша\w*|желтоқсан\w*)\.?"
)
# A full date, or a month and year: the year alone is allowed (it only gives an age).
_DATE = (
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    rf"|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_MONTH}\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}\s*ж(?:ылғы|\.)?\s*\d{{1,2}}\s*{_MONTH}"
)
_DOB_LABELS = (
    r"\bDOB\b|\bD\.O\.B\.?|date of birth|\bbirth ?date|\bborn(?:\s+on|\s+in)?|дата рождения"
    r"|\bд\.\s?р\.|\bд/р|родил(?:ся|ась)|туған\s+(?:күні|жылы)|туылған\s+күні"
    r"|出生日期|出生年月日?|出生于|生于|\bfödd(?:\s+den)?|födelsedatum"
)
_MRN_LABELS = (
    r"\bMRN\b|\bMR\s?(?:no|#)|medical record(?:\s+(?:number|no))?|hospital\s+(?:number|no|ID)"
    r"|\bcase\s+(?:no|number)|patient\s+(?:ID|number|no)\b|\bUR\s?(?:number|no)"
    r"|\brecord\s+(?:no|nr|number|#)|\b(?:chart|admission|registration|(?:in|out)patient)"
    r"\s+(?:no|number|#)"
    r"|истори\w+\s+болезни|ист\.\s?бол\.|\bи/б|(?:медицинск\w+|мед\.|амбулаторн\w+)\s+карт\w*"
    r"|номер\s+карты|ауру\s+тарихы|медициналық\s+карта|病历号|住院号|门诊号|病案号"
    r"|病历编号|住院编号|journalnummer|\bjournal\s?nr|patientnummer|patient-id"
)
_ID_LABELS = (
    r"\bpassport|\bID\s+(?:no|number|card)|national\s+ID|паспорт\w*|удостоверени\w+\s+личности"
    r"|уд\.\s?личности|полис\w*(?:\s+ОМС)?|\bИНН|жеке\s+куәлік\w*|护照(?:号码|号)?|社保卡号|医保卡号"
    r"|passnummer|\bpass\s+nr|\bNHS\s+(?:number|no)"
    # National numbers written with spaces (their detectors above take them unspaced).
    r"|\bIIN|ИИН|ЖСН|СНИЛС|person(?:nummer|nr)|身份证(?:号码?)?"
)
_PHONE_LABELS = (
    r"\btel\b\.?|\bphone\b|\bmobile\b|\bmob\b\.?|\bcell\b|\bhp\b|\bhandphone|\bcontact\b"
    r"|\bcall\b|\bring\b|\bтел\b\.?|телефон\w*|\bмоб\b\.?|\bсот\b\.?|звонить|ұялы|电话|手机号?"
    r"|联系方式|\btelefon(?:nummer)?\b|\bmobil(?:nummer|telefon)?\b|nås på|联系"
)
# A date after the label is when someone phoned ("tel. 2026-03-14: daughter informed").
_PHONE_VALUE = r"(?!\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4})\+?\(?\d(?:[\s()-]{0,2}\d){6,14}"
_SEP = r"[\s:：#№.,-]{0,4}(?:(?:no|nr|on|in|the|den|is|was)\.?[\s:：#№]{1,3})?"
_LABELLED = tuple(
    (kind, re.compile(rf"(?:{labels}){_SEP}(?P<value>{value})", re.I))
    for kind, labels, value in (
        ("mrn", _MRN_LABELS, r"[A-ZА-Я]{0,3}-?\d(?:[/-]?\d){2,}[A-Z]?"),
        ("dob", _DOB_LABELS, _DATE),
        (
            "national_id",
            _ID_LABELS,
            r"(?-i:[A-ZА-Я]{0,2})[^\S\n]?\d(?:[\s-]?\d){5,17}(?-i:[A-ZА-Я]|x)?",
        ),
        ("phone", _PHONE_LABELS, _PHONE_VALUE),
    )
)


# Chinese puts the label after the date: 1944年9月7日出生, 1966-06-07出生.
# So do Kazakh (1944 жылғы 7 қыркүйекте туған) and Russian (07.09.1944 г.р.).
_BORN_AFTER = re.compile(
    rf"(?P<value>{_DATE})\s*(?:出生|生人|生(?=[，,。；;\s)）]|$)|туған|туылған|г\.\s?р\.)"
)


def _labelled(text: str) -> Iterator[Span]:
    for kind, pattern in (*_LABELLED, ("dob", _BORN_AFTER)):
        for m in pattern.finditer(text):
            yield m.start("value"), m.end("value"), kind


# --- Phone numbers and email addresses ----------------------------------------------------

# Each pattern is one national way of writing a number; none allows the dots, colons and
# slashes of doses, lab values, dates and times, and each is fenced off from them.
_NOT_BEFORE = r"(?<![\w+:/])(?<!\d[-.])"
_NOT_AFTER = r"(?![\d:]|[./]\d)"
# The fewest digits a number of that form has: a shorter match is a date and a time or two.
_PHONES = tuple(
    (re.compile(_NOT_BEFORE + pattern + _NOT_AFTER), fewest)
    for pattern, fewest in (
        (r"\+\d{1,3}(?:[^\S\n]?[(-]?\d{1,6}\)?){1,6}", 8),  # +7 701 123 45 67, +46 70-123 45 67
        # 8 (701) 123-45-67, 8-903-939-66-39
        (r"8[^\S\n]?-?\(?[3-9]\d\d\)?[\s-]?\d{3}[\s-]?\d\d[\s-]?\d\d", 11),
        (r"0\d{1,3}-\d{2,3}(?:[^\S\n]?\d{2,3}){1,3}|07\d{8}", 9),  # 070-123 45 67, 08-123 456 78
        (r"07\d[^\S\n]\d{3}[^\S\n]\d\d[^\S\n]\d\d", 10),  # 070 123 45 67
        (r"07\d{3}[^\S\n]?\d{6}", 11),  # 07700 900123
        (r"0\d{2,3}-\d{7,8}", 10),  # 010-87654321
        (r"1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}", 11),  # 138 0013 8000, 13800138000
    )
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _phones(text: str) -> Iterator[Span]:
    for pattern, fewest in _PHONES:
        for m in pattern.finditer(text):
            if fewest <= len(identifiers.digits(m[0])) <= 15:
                yield m.start(), m.end(), "phone"


# --- Street addresses ----------------------------------------------------------------------

_VILLAGE = rf"(?<!\w)(?:с\.|село|пос\.|посёлок|пгт\.?|ауыл|аул)\s*[{_CAP_CYR}][\w-]+"
_ADDRESSES = tuple(
    re.compile(pattern)
    for pattern in (
        # 12 Orchard Road; 45 Baker Street, Apt 3
        rf"\b\d{{1,5}}[A-Za-z]?{_SP}(?:[A-Z][a-z]+{_SP}){{1,3}}(?:Road|Rd|Street|St|Avenue|Ave"
        rf"|Lane|Drive|Crescent|Close|Way|Boulevard|Place|Terrace|Court)\b\.?"
        rf"(?:,?{_SP}(?:Apt|Apartment|Flat|Unit)\.?{_SP}?\w+|,?{_SP}?#\d\d-\d{{2,4}})?",
        # Russian streets written in English: Profsoyuznaya Street 128, apt 60
        rf"\b(?:[A-Z][a-z]+{_SP}){{1,3}}(?:St|Rd|Ave|(?i:street|road|avenue|prospekt|prospect"
        rf"|boulevard|lane|highway|ulitsa|pereulok|shosse))\.?,?{_SP}\d{{1,5}}[A-Za-z]?\b"
        rf"(?:(?:,?{_SP}(?:[Bb]uilding|[Bb]ldg|[Aa]pt|[Aa]partment|[Ff]lat|[Uu]nit|kv)\.?{_SP}?"
        rf"\d+[A-Za-z]?)+)?",
        # Singapore HDB: Blk 123 Ang Mo Kio Avenue 3 #05-12
        rf"\b(?:Blk|Block){_SP}\d{{1,4}}[A-Z]?(?:{_SP}[A-Z][a-z]+){{1,4}}(?:{_SP}\d{{1,3}})?"
        rf"(?:,?{_SP}?#\d\d-\d{{2,4}})?",
        # ul. Lenina 5, kv. 3 (transliterated)
        rf"\b(?:ul\.|ulitsa|prosp\.|prospekt|mkr\.?)\s*[A-Z][a-z]+(?:{_SP}[A-Za-z]+)?,?\s*"
        r"(?:d\.|dom)?\s*\d+[a-z]?\b(?:,?\s*(?:kv\.|apt\.?|flat)\s*\d+)?",
        # ул. Абая, д. 15, кв. 4; улица Ленина 3; пр. Достык 5; с. Каскелен, ул. Абылай хана,
        # д. 180 (a village first, and a street name that runs on in lower case)
        rf"(?:{_VILLAGE},?\s*)?"
        rf"(?<!\w)(?:ул\.|улица|пр\.|пр-т|просп\.|проспект|пер\.|переулок|б-р|бульвар|мкр\.?"
        rf"|микрорайон|шоссе|наб\.|набережная)\s*[{_CAP_CYR}][\w-]*(?:{_SP}[\w-]+){{0,2}}?"
        rf",?\s*(?:д\.|дом)?\s*\d+[а-я]?(?:[-/]\d+)?\b(?:,?\s*(?:кв\.|квартира)\s*\d+)?",
        # с. Каскелен, д. 180: a village and a house without a street
        rf"{_VILLAGE},?\s*(?:д\.|дом|үй)\s*\d+[а-я]?\b",
        # Абай көшесі 12; Достық даңғылы, 5-үй
        rf"[{_CAP_CYR}][\w-]*(?:{_SP}[\w-]+)?{_SP}(?:көшесі|даңғылы|к-сі)[,\s]*\d+(?:[\s-]*үй)?",
        # Storgatan 12; Kungsvägen 4B, lgh 1102
        r"\b[A-ZÅÄÖ][a-zåäöé]*(?:gatan|vägen|gränd|torget|stigen|allén|gata|väg|backe)"
        r"[^\S\n]\d{1,4}[A-Za-z]?\b(?:,?\s*lgh\s*\d+)?",
        # 朝阳区建国路88号; XX路12号 (trimmed of its lead-in below)
        r"[\u4e00-\u9fffA-Za-z]{1,20}?(?:路|街|大道|巷|胡同|弄)\s*\d+\s*号"
        r"(?:\s*\d+\s*(?:号楼|栋|楼|单元|室))*",
        # 北京市朝阳区望京西园222号楼; 河北省保定市某某村12号: a city or district, a number
        # (not a ward, bed or hospital building: 病区3号床, 市人民医院2号楼)
        rf"{_HAN}{{1,12}}?(?<![病院科诊护])(?:省|市|区|县|镇|乡|村)(?:(?!医院|病|科|院|床){_HAN})"
        r"{0,20}?\d+\s*(?:号楼|号院|号|弄|栋|幢)(?![床房])(?:\s*\d+\s*(?:号楼|栋|楼|单元|室|号))*",
    )
)
# Chinese runs on without spaces: "家住朝阳区…" starts the address after 住. Words that lead
# into an address end it here; street names rarely hold them.
_ZH_LEAD_IN = re.compile(r".*(?:住址|地址|住在|住于|位于|来自|搬到|住|在|于|是|有|到|至)[：:]?")


def _addresses(text: str) -> Iterator[Span]:
    for pattern in _ADDRESSES:
        for m in pattern.finditer(text):
            lead = _ZH_LEAD_IN.match(m[0])
            start = m.start() + (lead.end() if lead and re.match(_HAN, m[0]) else 0)
            yield start, m.end(), "address"


def _emails(text: str) -> Iterator[Span]:
    for m in _EMAIL.finditer(text):
        yield m.start(), m.end(), "email"


DETECTORS = (_numbers, _labelled, _phones, _emails, _addresses, names)
