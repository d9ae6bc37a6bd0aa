"""The invitation letter as a PDF (fpdf2): one page in the host's language and one in the
observer's (a single page when they are the same), for visas and employers. It reuses
the certificates' bundled fonts (Latin, Cyrillic, Chinese: see app/learning/fonts/)."""

from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.lists import format_list
from flask_babel import force_locale
from flask_babel import gettext as _

from app.learning.pdf import INK, bundled_pdf, font_for
from app.placements.models import ACTIVITIES, Placement

if TYPE_CHECKING:
    from fpdf import FPDF


def letter_locales(placement: Placement) -> list[str]:
    """The host's language first, then the observer's when it differs."""
    host = placement.offer.host.default_locale
    observer = placement.observer
    theirs = observer.locale or (
        observer.institution.default_locale if observer.institution else host
    )
    return [host] if theirs == host else [host, theirs]


def invitation_pdf(placement: Placement) -> bytes:
    pdf = bundled_pdf()
    for locale in letter_locales(placement):
        with force_locale(locale):
            _page(pdf, placement, locale)
    return bytes(pdf.output())


def _day(value, locale: str) -> str:
    # English letters read "5 December 2026", as the pages do, not US order
    return format_date(value, "long", locale="en_GB" if locale == "en" else locale)


def _page(pdf: "FPDF", placement: Placement, locale: str) -> None:
    # Chinese uses WenQuanYi throughout; other languages DejaVu with WenQuanYi for CJK.
    font = font_for(pdf, locale)
    pdf.set_title(_("Invitation letter"))
    pdf.add_page()
    title, *paragraphs, signature, reference = letter_lines(placement, locale)
    pdf.set_text_color(*INK)
    pdf.set_font(font, "B", 18)
    pdf.multi_cell(0, 10, title)
    pdf.ln(4)
    pdf.set_font(font, "", 11)
    for text in paragraphs:
        pdf.multi_cell(0, 6, text)
        pdf.ln(3)
    pdf.ln(6)
    pdf.multi_cell(0, 6, signature)
    pdf.set_font(font, "", 9)
    pdf.ln(2)
    pdf.multi_cell(0, 5, reference)


def letter_lines(placement: Placement, locale: str) -> list[str]:
    """The letter's words in the current language (call inside ``force_locale``): its
    title, its paragraphs, the signature and the reference, in that order."""
    offer, observer = placement.offer, placement.observer
    supervisor = placement.supervisor
    return [
        _("Invitation letter"),
        _("To whom it may concern,"),
        _(
            "%(host)s (%(city)s) invites %(observer)s of %(home)s to an observership "
            "“%(title)s” from %(starts)s to %(ends)s (%(num)d days), within the programme "
            "%(programme)s.",
            host=offer.host.name,
            city=offer.host.city,
            observer=observer.name,
            home=observer.institution.name if observer.institution else "—",
            title=offer.title,
            starts=_day(placement.starts_on, locale),
            ends=_day(placement.ends_on, locale),
            num=offer.length_days,
            programme=offer.programme.name,
        ),
        _(
            "The observer will be supervised by %(supervisor)s, in %(language)s.",
            supervisor=supervisor.name if supervisor else "—",
            language=localised_language(offer.supervision_locale, locale),
        ),
        _(
            "The observer will see: %(activities)s.",
            activities=format_list(  # the language's own list: "a, b and c", "甲、乙和丙"
                [str(ACTIVITIES[c]) for c in offer.activities if c in ACTIVITIES] or ["—"],
                locale=locale.replace("-", "_"),
            ),
        ),
        _(
            "The observer takes part in the care team's work as an observer only and "
            "does not treat patients."
        ),
        _("On behalf of %(host)s, via Palliare", host=offer.host.name),
        _("Placement reference: %(ref)s", ref=f"P-{placement.id:06d}"),
    ]


def localised_language(code: str, locale: str) -> str:
    from babel import Locale

    try:
        return (
            Locale.parse(code.replace("-", "_")).get_display_name(locale.replace("-", "_")) or code
        )
    except (ValueError, LookupError):
        return code
