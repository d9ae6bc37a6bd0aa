"""A published protocol version as a PDF (fpdf2, the certificates' bundled fonts): its
title, version, effective date, approvers, change log and sections, each dose block in a
visible box. The words come from ``rendering.render_version`` (the reader's language
where its catalog allows, else English), turned into plain blocks here."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from babel.dates import format_date
from flask_babel import gettext as _

from app.courses.labels import LABELS
from app.learning.pdf import ACCENT, INK, bundled_pdf, font_for
from app.protocols import content, queries
from app.protocols.models import ProtocolVersion
from app.protocols.rendering import render_version

BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "summary"}


@dataclass
class Block:
    text: str
    dose: bool = False  # inside a ::: dose block: drawn boxed
    heading: bool = False


@dataclass
class VersionWords:
    """What the PDF says, in order (tests read these rather than the PDF)."""

    title: str
    facts: list[str]  # version, effective date, review by
    approvers: list[str]
    change_log: list[Block]
    sections: list[tuple[str, list[Block]]] = field(default_factory=list)
    held_back: str = ""


class _Blocks(HTMLParser):
    """Sanitised section HTML → plain blocks, marking those inside a dose callout."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.depth_in_dose = 0
        self.stack: list[bool] = []  # per open <aside>: is it a dose block?

    def handle_starttag(self, tag, attrs):
        if tag == "aside":
            dose = "callout-dose" in (dict(attrs).get("class") or "")
            self.stack.append(dose)
            self.depth_in_dose += dose
        if tag in BLOCKS or tag == "aside":
            self._flush()
        if tag in ("td", "th") and self.text:
            self.text.append(" | ")
        if tag == "br":
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._flush(heading=tag.startswith("h") and len(tag) == 2)
        if tag == "aside":
            self._flush()
            self.depth_in_dose -= self.stack.pop() if self.stack else 0

    def handle_data(self, data):
        self.text.append(data)

    def _flush(self, heading: bool = False):
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            self.blocks.append(Block(text, self.depth_in_dose > 0, heading))


def blocks_of(html: str) -> list[Block]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


def _day(value, locale: str) -> str:
    return format_date(value, "long", locale="en_GB" if locale == "en" else locale)


def version_words(version: ProtocolVersion, locale: str) -> VersionWords:
    """The version's words in the current language (call inside ``force_locale``)."""
    shown = render_version(version, locale)
    facts = [
        _("Version %(num)d", num=version.number or 0),
        _("Effective from %(day)s", day=_day(version.effective_on, locale))
        if version.effective_on
        else "",
        _("Review by %(day)s", day=_day(version.review_by, locale)),
    ]
    approvers = [
        f"{a.name} — {a.institution_name}" if a.institution_name else a.name
        for a in queries.approvals_of(version)
    ]
    sections = [(s.heading, blocks_of(s.html)) for s in shown.sections]
    scope = blocks_of(shown.scope_html)
    if scope:
        sections.insert(0, (_("Scope"), scope))
    words = VersionWords(
        shown.title,
        [fact for fact in facts if fact],
        approvers,
        blocks_of(_markdown_html(version.change_log)),
        sections,
    )
    if shown.held_back:
        words.held_back = _("Shown in English: its translation is not complete and current.")
    return words


def _markdown_html(text: str) -> str:
    return str(content.html(text, labels=False))


def version_pdf(version: ProtocolVersion, locale: str) -> bytes:
    """The PDF (call inside ``force_locale(locale)``)."""
    words = version_words(version, locale)
    pdf = bundled_pdf(title=words.title)
    font = font_for(pdf, locale)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_text_color(*INK)
    pdf.set_font(font, "B", 17)
    pdf.multi_cell(0, 8, words.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 10)
    pdf.multi_cell(0, 6, " · ".join(words.facts), new_x="LMARGIN", new_y="NEXT")
    if words.held_back:
        pdf.multi_cell(0, 6, words.held_back, new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, font, _("Approved by"))
    pdf.set_font(font, "", 10)
    for line in words.approvers or ["—"]:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if words.change_log:
        _heading(pdf, font, _("Changes in this version"))
        _blocks(pdf, font, words.change_log)
    for heading, blocks in words.sections:
        _heading(pdf, font, heading)
        _blocks(pdf, font, blocks)
    return bytes(pdf.output())


def _heading(pdf, font: str, text: str) -> None:
    pdf.ln(3)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(font, "B", 13)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def _blocks(pdf, font: str, blocks: list[Block]) -> None:
    dose: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and block.dose:
            dose.append(block)
            continue
        if dose:
            _dose_box(pdf, font, dose)
            dose = []
        if block is not None:
            pdf.set_font(font, "B" if block.heading else "", 10)
            pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)


def _dose_box(pdf, font: str, blocks: list[Block]) -> None:
    """Dose lines framed, with the reminder that local formularies govern."""
    pdf.ln(1)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.set_font(font, "B", 10)
    lines = [str(LABELS["dose"]), *(b.text for b in blocks), str(LABELS["formulary"])]
    text = "\n".join(lines)
    pdf.multi_cell(0, 5.5, text, border=1, padding=2, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
