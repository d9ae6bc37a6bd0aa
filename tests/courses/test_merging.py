"""Merging a course's template into its catalogs: a changed segment keeps, as fuzzy,
only its own previous translation; nothing is borrowed from other segments; no format
flags are written."""

import io
import subprocess

from babel.messages.pofile import normalize, read_po

from app.courses.content.catalogs import build_template, merge_into, merged_text
from app.courses.content.markdown import Segment
from app.courses.content.merging import po_bytes
from app.courses.content.provenance import previous_sources

LESSON, QUIZ = "course/modules/01/01-delirium.md", "course/quizzes/check.yaml"


def template_of(*located):
    return build_template("course", [(file, Segment(text, kind, line))
                                     for file, text, kind, line in located])  # fmt: skip


OLD = [
    (LESSON, "Delirium", "heading", 3),
    (LESSON, "The team meets every week.", "paragraph", 5),
    (QUIZ, "Which kind of delirium is missed most often?", "quiz-stem", 4),
    (QUIZ, "Hypoactive delirium", "quiz-choice", 6),
    (QUIZ, "The care team", "quiz-choice", 8),
    (QUIZ, "The patient", "quiz-choice", 9),
]
RUSSIAN = {
    "Delirium": "Делирий",
    "The team meets every week.": "Команда собирается каждую неделю.",
    "Which kind of delirium is missed most often?": "Какой делирий пропускают чаще всего?",
    "Hypoactive delirium": "Гипоактивный делирий",
    "The care team": "Команда",
    "The patient": "Пациент",
}


def catalog_file(tmp_path):
    """A Russian catalog of the OLD segments, all translated."""
    path = tmp_path / "ru.po"
    merge_into(template_of(*OLD), path, "ru")
    text = path.read_text(encoding="utf-8")
    for source, translation in RUSSIAN.items():
        text = text.replace(
            f'msgid "{source}"\nmsgstr ""', f'msgid "{source}"\nmsgstr "{translation}"'
        )
    path.write_text(text, encoding="utf-8")
    return path


def messages(path):
    with path.open("rb") as handle:
        return {m.id: m for m in read_po(handle, locale="ru") if m.id}


def test_a_changed_choice_keeps_its_own_translation_as_fuzzy(tmp_path):
    path = catalog_file(tmp_path)
    new = [item if item[1] != "The patient" else (QUIZ, "The patient themself", "quiz-choice", 9)
           for item in OLD]  # fmt: skip
    merge_into(template_of(*new), path, "ru")
    merged = messages(path)
    changed = merged["The patient themself"]
    assert changed.fuzzy and changed.string == "Пациент"
    assert '#| msgid "The patient"' in path.read_text(encoding="utf-8")
    assert "The patient" not in merged
    assert not merged["The care team"].fuzzy


def test_a_new_choice_borrows_nothing_from_similar_segments(tmp_path):
    """Babel's fuzzy matching offered «Делирий» (the heading's) for "Mixed delirium"."""
    path = catalog_file(tmp_path)
    new = [*OLD, (QUIZ, "Mixed delirium", "quiz-choice", 7)]
    merge_into(template_of(*new), path, "ru")
    added = messages(path)["Mixed delirium"]
    assert added.string == "" and not added.fuzzy


def test_a_replaced_choice_borrows_nothing_from_another_kind_or_file(tmp_path):
    path = catalog_file(tmp_path)
    new = [item for item in OLD if item[1] != "The patient"]
    new += [(QUIZ, "The team, weekly", "quiz-choice", 9)]  # where "The patient" stood
    merge_into(template_of(*new), path, "ru")
    added = messages(path)["The team, weekly"]
    assert added.string == "" and not added.fuzzy  # not "The patient"'s: too different


def test_a_rewritten_segment_starts_untranslated(tmp_path):
    path = catalog_file(tmp_path)
    new = [item if item[1] != "The team meets every week." else
           (LESSON, "Ask the family what matters most to them.", "paragraph", 5)
           for item in OLD]  # fmt: skip
    merge_into(template_of(*new), path, "ru")
    rewritten = messages(path)["Ask the family what matters most to them."]
    assert rewritten.string == "" and not rewritten.fuzzy


def test_revisions_are_brought_up_to_date_by_the_same_rule(tmp_path):
    text = catalog_file(tmp_path).read_text(encoding="utf-8")
    new = [*[item if item[1] != "Hypoactive delirium" else
             (QUIZ, "Hypoactive (quiet) delirium", "quiz-choice", 6) for item in OLD],
           (QUIZ, "Mixed delirium", "quiz-choice", 7)]  # fmt: skip
    merged = {m.id: m for m in read_po(io.BytesIO(merged_text(template_of(*new), text, "ru")
                                                  .encode()), locale="ru") if m.id}  # fmt: skip
    assert merged["Hypoactive (quiet) delirium"].string == "Гипоактивный делирий"
    assert merged["Hypoactive (quiet) delirium"].fuzzy
    assert merged["Mixed delirium"].string == ""


def test_no_format_flags_are_written(tmp_path):
    path = tmp_path / "ru.po"
    merge_into(template_of((LESSON, "In 39% c of cases, and 5 %(n)s", "paragraph", 3)), path,
               "ru")  # fmt: skip
    assert "python-format" not in path.read_text(encoding="utf-8")
    merge_into(template_of((LESSON, "In 40% c of cases", "paragraph", 3)), path, "ru")
    assert "format" not in path.read_text(encoding="utf-8")


LONG = (
    "Increment sizes differ between sources: **40 micrograms every 1 minute** (US "
    '"Fast Facts") to **100 micrograms every 2 minutes** (a UK hospital trust).'
)


def test_a_long_previous_source_is_valid_po_and_kept_by_the_next_merge(tmp_path):
    """Babel wrapped "#| msgid" at 76 columns: msgfmt failed ("end-of-line within string")."""
    path = tmp_path / "ru.po"
    two_lines, changed = "Line one\nline two", LONG.replace("40 micrograms", "20 micrograms")
    merge_into(template_of((LESSON, LONG, "list-item", 3), (LESSON, two_lines, "paragraph", 5)),
               path, "ru")  # fmt: skip
    text = path.read_text(encoding="utf-8")
    for source, russian in ((LONG, "Шаг: 40 мкг"), (two_lines, "Строка")):
        entry = f"msgid {normalize(source, width=0)}\nmsgstr "
        text = text.replace(f'{entry}""', f'{entry}"{russian}"')
    path.write_text(text, encoding="utf-8")
    new = [(LESSON, changed, "list-item", 3), (LESSON, "Line one\nline 2", "paragraph", 5)]
    merge_into(template_of(*new), path, "ru")
    merge_into(template_of(*new, (LESSON, "A new paragraph.", "paragraph", 7)), path, "ru")
    text = path.read_text(encoding="utf-8")
    assert previous_sources(text) == {changed: LONG, "Line one\nline 2": two_lines}
    assert messages(path)[changed].fuzzy and messages(path)[changed].string == "Шаг: 40 мкг"
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stderr


def test_each_catalog_keeps_its_own_language_when_one_template_updates_several(tmp_path):
    """Babel's update puts the template's own message objects into the catalog: filling
    one catalog's suggestion must not fill the next catalog's with the same language."""
    russian = catalog_file(tmp_path)
    kazakh = tmp_path / "kk.po"
    kazakh.write_text(
        russian.read_text(encoding="utf-8").replace('msgstr "Пациент"', 'msgstr "Науқас"'),
        encoding="utf-8",
    )
    new = [item if item[1] != "The patient" else (QUIZ, "The patient themself", "quiz-choice", 9)
           for item in OLD]  # fmt: skip
    template = template_of(*new)
    merge_into(template, kazakh, "kk")
    merge_into(template, russian, "ru")
    assert messages(kazakh)["The patient themself"].string == "Науқас"
    assert messages(russian)["The patient themself"].string == "Пациент"


def test_a_catalog_read_and_written_again_gains_no_format_flag(tmp_path):
    """Babel flags "39% c" as python-format when it reads a catalog; the project's
    writer (what scripts and the translators' uploads use) drops the flag again."""
    path = tmp_path / "ru.po"
    merge_into(template_of((LESSON, "Patients preferred it (39% compared with 14%).",
                            "paragraph", 3)), path, "ru")  # fmt: skip
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    assert any("python-format" in m.flags for m in catalog if m.id)  # Babel's guess
    path.write_bytes(po_bytes(catalog))
    assert "python-format" not in path.read_text(encoding="utf-8")


def test_a_stale_entrys_previous_source_survives_a_read_and_write(tmp_path):
    """Babel reads '#| msgid' back as a translator comment; the writer restores it while
    the entry is stale and drops it once the entry is translated again."""
    path = catalog_file(tmp_path)
    new = [item if item[1] != "The patient" else (QUIZ, "The patient themself", "quiz-choice", 9)
           for item in OLD]  # fmt: skip
    merge_into(template_of(*new), path, "ru")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    path.write_bytes(po_bytes(catalog))
    text = path.read_text(encoding="utf-8")
    assert '#| msgid "The patient"' in text and "# | msgid" not in text
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    entry = catalog["The patient themself"]
    entry.flags.discard("fuzzy")  # the translator confirms it
    path.write_bytes(po_bytes(catalog))
    assert 'msgid "The patient"' not in path.read_text(encoding="utf-8")
