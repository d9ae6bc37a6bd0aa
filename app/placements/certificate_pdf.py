"""The certificate of observership as a one-page PDF (fpdf2), in the reader's language,
with its verification code, link and QR code. It reuses the course certificates' fonts
and colours (app/learning/pdf.py); rendered on each request, never stored."""

import io

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext

from app.learning.pdf import ACCENT, INK, bundled_pdf, font_for
from app.placements.models import ObservershipCertificate


def _day(value, locale: str) -> str:
    # English reads "5 December 2026", as the pages do, not US order
    return format_date(value, "long", locale="en_GB" if locale == "en" else locale)


def certificate_lines(certificate: ObservershipCertificate, locale: str) -> list[str]:
    """The certificate's words in the current language (call inside ``force_locale``)."""
    host = certificate.host_name
    if certificate.host_city:
        host = f"{host}, {certificate.host_city}"
    return [
        "Palliare",
        _("Certificate of observership"),
        _("This certifies that"),
        certificate.holder_name,
        _("completed the observership"),
        certificate.title,
        _(
            "at %(host)s, within the programme %(programme)s",
            host=host,
            programme=certificate.programme_name,
        ),  # fmt: skip
        _(
            "from %(starts)s to %(ends)s",
            starts=_day(certificate.starts_on, locale),
            ends=_day(certificate.ends_on, locale),
        ),
        ngettext("%(num)d day present", "%(num)d days present", certificate.days_present)
        + " · "
        + _("%(hours)s hours", hours=format_decimal(certificate.hours, locale=locale)),
        _("Issued on %(date)s", date=_day(certificate.issued_at.date(), locale)),
    ]


def observership_certificate_pdf(
    certificate: ObservershipCertificate, locale: str, verify_url: str
) -> bytes:
    pdf = bundled_pdf("L", _("Certificate of observership"))
    font = font_for(pdf, locale)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    layout = [(24, 14, False), (36, 26, False), (54, 12, False), (64, 22, True),
              (80, 12, False), (90, 17, True), (104, 12, False), (113, 12, False),
              (122, 12, False), (131, 11, False)]  # fmt: skip
    for (y, size, bold), text in zip(layout, certificate_lines(certificate, locale), strict=True):
        pdf.set_text_color(*(ACCENT if y == 24 else INK))
        pdf.set_font(font, "B" if bold else "", size)
        pdf.set_xy(20, y)
        pdf.multi_cell(pdf.w - 40, size * 0.5, text, align="C")
    import segno  # where used, like the PDF library (app/learning/pdf.py)

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
    return bytes(pdf.output())
