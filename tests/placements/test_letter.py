"""The invitation letter: one page per language (the host's, then the observer's), with
the names, dates, host, supervisor and programme in each. pypdf is not in the venv, so
the words are checked where the PDF takes them from (letter_lines) and the PDF by its
pages and fonts."""

import re
from datetime import date

from flask_babel import force_locale

from app.extensions import db
from app.placements import services
from app.placements.pdf import invitation_pdf, letter_lines, letter_locales


def _accepted(pw):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    services.select_placement(pw.admin, placement)
    services.accept(pw.host_coordinator, placement, date(2030, 3, 2), pw.supervisor)
    db.session.commit()
    return placement


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


def test_one_page_in_the_hosts_language_and_one_in_the_observers(pw, app):
    placement = _accepted(pw)
    assert letter_locales(placement) == ["sv", "ru"]  # the host's, the observer's
    with app.test_request_context():
        data = invitation_pdf(placement)
    assert data.startswith(b"%PDF") and _pages(data) == 2


def test_one_page_when_the_languages_are_the_same(pw, app):
    pw.observer.locale = "sv"
    placement = _accepted(pw)
    assert letter_locales(placement) == ["sv"]
    with app.test_request_context():
        assert _pages(invitation_pdf(placement)) == 1


def test_the_observers_language_falls_back_to_their_institutions(pw):
    pw.observer.locale = None
    assert letter_locales(_accepted(pw)) == ["sv", "ru"]  # Almaty Hospice reads Russian


def test_the_letter_names_everyone_and_the_dates(pw, app):
    placement = _accepted(pw)
    with app.test_request_context(), force_locale("en"):
        text = "\n".join(letter_lines(placement, "en"))
    for expected in (
        "Olga Observer", "Almaty Hospice", "Luleå University Hospital", "Sara Supervisor",
        "Nordic–Kazakh exchange", "2 March 2030", "15 March 2030", "14 days", "Ward rounds",
        f"P-{placement.id:06d}",
    ):  # fmt: skip
        assert expected in text, expected


def test_chinese_and_cyrillic_letters_render(pw, app):
    pw.observer.locale = "zh_Hans"
    pw.observer.name = "王医生"
    placement = _accepted(pw)
    with app.test_request_context():
        data = invitation_pdf(placement)
    assert _pages(data) == 2 and b"WenQuanYi" in data
    with app.test_request_context(), force_locale("zh_Hans"):
        assert "王医生" in "\n".join(letter_lines(placement, "zh_Hans"))
