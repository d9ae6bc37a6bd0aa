"""Patient names, for the de-identification guard (app/cases/detectors.py): after a
title (Mr, Fru), a phrase that introduces a name ("named", "patient"), a Russian or Kazakh
label (ФИО, пациентка + a surname's ending) or a Chinese one (患者 + a common surname)."""

import re
from collections.abc import Iterator

_SP = r"[^\S\r\n]+"  # spaces within a line: a name does not run over a newline
_HAN = r"[\u4e00-\u9fff]"
_CAP_CYR = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_LOW_CYR = "а-яёәғқңөұүһі"

# Capitalised words that follow "patient" or "Mr" without being the patient's name.
_NOT_NAMES = (
    r"Mr|Mrs|Ms|Miss|Mx|Mdm|Madam|Mister|Herr|Fru|Frau|Dr|Doctor|Prof|Professor|Nurse|Sister"
    r"|Father|The|He|She|His|Her|They|This|That|In|On|At|With|And|Who|Was|Is|Has|Had"
    r"|Does|Did|Will|Can|Could|Should|Would|Hb|Hgb|Patient|Hospice|Hospital|Ward|Unit|Team|Care"
    r"|Controlled|Reported|Dignity|Health|Outcome|Safety|Experience|Assessment|Inventory"
    r"|Parkinson|Hodgkin|Alzheimer|Crohn|Addison|Cushing|Graves|Huntington|Wilson|Kaposi"
    r"|Wernicke|Pancoast|Burkitt|Ewing|Paget|Raynaud|Guillain|Down|Bell|Han|Hon|Hen|Och|Som"
    r"|January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
_WORD = rf"(?!(?:{_NOT_NAMES})\b)[A-ZÅÄÖ](?:[a-zåäöé]+|['’][A-Z][a-z]+)(?:-[A-Z][a-z]+)?"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Mdm|Madam|Mister|Herr|Fru|Frau)\.?"
_NAME = rf"(?P<name>{_WORD}(?:{_SP}{_WORD}){{0,2}})"
_LATIN_NAMES = (
    re.compile(rf"\b{_TITLE}{_SP}{_NAME}"),
    # A phrase that introduces a name: the capitalised words that follow are one.
    re.compile(
        r"\b(?:[Pp]atient(?:en)?(?:'s|s)?\s+name(?:\s+is)?|[Nn]amed|[Nn]ame(?:\s+is)?|[Cc]alled"
        r"|known as|[Hh]eter|vid namn|[Nn]amn(?:et)?(?:\s+är)?|[Pp]atient(?:en)?)"
        rf"[^\S\n]*[:,]?{_SP}(?:{_TITLE}{_SP})?{_NAME}"
    ),
)
_CYR_WORD = rf"[{_CAP_CYR}][{_LOW_CYR}]+(?:-[{_CAP_CYR}][{_LOW_CYR}]+)?"
_CYR_INITIALS = rf"[{_CAP_CYR}]\.\s?[{_CAP_CYR}]\.?"  # И.И.
_CYR_NAME = re.compile(
    r"(?:(?P<strong>ФИО|Ф\.\s?И\.\s?О\.|[Зз]овут|по имени|[Аа]ты-жөні|[Ее]сімі)"
    r"|(?:\b[Пп]ациент(?:ка|ке|ки|у|а)?|\b[Бб]ольн(?:ой|ая|ого|ую)|\b[Нн]ауқас(?:тың)?"
    r"|\bг-(?:н|жа)))"
    rf"[\s:,]+(?P<name>{_CYR_WORD}(?:{_SP}{_CYR_WORD}){{0,2}}(?:{_SP}{_CYR_INITIALS})?)"
)
# Without a label, a Cyrillic word after "пациент" is a name only if it looks like one.
_CYR_SURNAME = re.compile(
    r"^\w+(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|ская|цкий|цкая|енко|ук|юк|ян|дзе|швили"
    rf"|ых|их)\b|\w+(?:ович|евич|овна|евна|ична|ұлы|қызы|улы|кызы)\b|[{_CAP_CYR}]\."
)
# Common surnames only: after 患者 almost any two characters would otherwise pass. Left out:
# 于 曾 常 向 (at, once, often, towards), and a few words that begin with a surname.
_ZH_SURNAME = (
    r"(?:欧阳|司马|诸葛|上官|(?!高龄|高热|高烧|黄疸|孙女|孙子)[王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑"
    r"梁谢宋唐许韩冯邓曹彭肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方"
    r"白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤])"
)
_ZH_NAMES = (
    re.compile(
        rf"(?:患者|病人|姓名)[：:\s]*(?P<name>{_ZH_SURNAME}(?!某){_HAN}{{1,2}})"
        r"(?=[，,。、；;\s（(：:]|因|于|男|女|$)"
    ),
    re.compile(rf"(?P<name>{_ZH_SURNAME}(?:先生|女士|阿姨|奶奶|爷爷|大爷))"),
)


def names(text: str) -> Iterator[tuple[int, int, str]]:
    for pattern in _LATIN_NAMES + _ZH_NAMES:
        for m in pattern.finditer(text):
            yield m.start("name"), m.end("name"), "name"
    for m in _CYR_NAME.finditer(text):
        if m["strong"] or _CYR_SURNAME.search(m["name"]):
            yield m.start("name"), m.end("name"), "name"
