"""Certificates as PDF (fpdf2), in the holder's language.

The bundled fonts cover Latin, Cyrillic (Kazakh and Russian included) and Chinese:
DejaVu Sans, with WenQuanYi Micro Hei as the fallback for CJK glyphs (see fonts/).
"""

import io
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext as _

from app.localised import localised

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
ACCENT = (11, 93, 91)
INK = (29, 36, 51)


def bundled_pdf(orientation: str = "P", title: str | None = None) -> "FPDF":
    """An A4 document with the bundled fonts: "DejaVu" (Latin, Cyrillic) and "WQY"
    (Chinese), each regular and bold."""
    from fpdf import FPDF  # imported where used: ~20 MiB the web workers need only for a PDF

    pdf = FPDF(orientation=orientation, format="A4")
    if title:
        pdf.set_title(title)
    pdf.set_author("Palliare")
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.add_font("WQY", "", FONTS / "WenQuanYiMicroHei.ttf")
    pdf.add_font("WQY", "B", FONTS / "WenQuanYiMicroHei.ttf")
    return pdf


def font_for(pdf: "FPDF", locale: str) -> str:
    """The font for text in ``locale``. Chinese text uses WenQuanYi throughout (it has
    Latin letters and digits too), so a line never mixes fonts; other languages use
    DejaVu, falling back to WenQuanYi only for CJK characters (a Chinese name on a
    Russian certificate, say)."""
    if locale.startswith("zh"):
        pdf.set_fallback_fonts([])
        return "WQY"
    pdf.set_fallback_fonts(["WQY"])
    return "DejaVu"


def certificate_pdf(certificate, locale: str, verify_url: str, timezone: str = "UTC") -> bytes:
    """The certificate on one landscape A4 page, with its QR code to ``verify_url``; the
    date of issue is the day it was in ``timezone`` (the holder's). Call it inside
    ``force_locale(locale)``: the fixed wording comes from the interface catalogs."""
    pdf = bundled_pdf("L", _("Certificate of completion"))
    font = font_for(pdf, locale)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    _frame(pdf)
    title = localised(certificate.course_titles, locale)
    hours = format_decimal(certificate.cpd_hours, locale=locale)
    lines = [
        (30, "Palliare", 14, False, ACCENT),
        (45, _("Certificate of completion"), 28, False, INK),
        (65, _("This certifies that"), 13, False, INK),
        (78, certificate.holder_name, 24, True, INK),
        (96, _("has completed the course"), 13, False, INK),
        (108, title, 18, True, INK),
        (126, _("%(hours)s CPD hours", hours=hours), 13, False, INK),
        (
            136,
            format_date(
                certificate.issued_at.astimezone(ZoneInfo(timezone)).date(),
                "long",
                # English certificates read "5 December 2026", as the pages do, not US order
                locale="en_GB" if str(locale) == "en" else locale,
            ),
            13,
            False,
            INK,
        ),
    ]
    for y, text, size, bold, colour in lines:
        pdf.set_text_color(*colour)
        pdf.set_font(font, "B" if bold else "", size)
        pdf.set_xy(20, y)
        pdf.multi_cell(pdf.w - 40, size * 0.5, text, align="C")
    _verification(pdf, certificate, verify_url, font)
    return bytes(pdf.output())


def _frame(pdf: "FPDF") -> None:
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)


def _verification(pdf: "FPDF", certificate, verify_url: str, font: str) -> None:
    import segno

    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - 62, y=pdf.h - 62, w=40, h=40)
    pdf.set_text_color(*INK)
    pdf.set_font(font, "", 10)
    pdf.set_xy(22, pdf.h - 45)
    pdf.multi_cell(
        pdf.w - 100,
        5,
        _("Verification code: %(code)s", code=certificate.code) + "\n" + verify_url,
    )
