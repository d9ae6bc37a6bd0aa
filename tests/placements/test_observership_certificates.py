"""The certificate of observership: issued once on completion, with the days present and
the logged hours; its page and PDF for the holder, their coordinators, the host's and
administrators (others 404); /verify (valid, revoked, unknown); CPD."""

import re
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.extensions import db
from app.learning.cpd import cpd_statement
from app.placements import completion, observership_certificates
from app.placements.certificate_pdf import certificate_lines
from app.placements.models import ObservershipCertificate, PlacementStep, State
from app.placements.outcome_queries import certificate_of
from tests.factories import make_certificate, make_user
from tests.helpers import text_of
from tests.placements.conftest import accept_placement
from tests.placements.outcome_fixtures import complete_placement, english, notices, signed_in


@pytest.fixture
def completed(pw, accepted):
    english(pw)
    return complete_placement(pw, accepted)


def _certificates() -> int:
    return db.session.scalar(select(func.count()).select_from(ObservershipCertificate))


# --- Issuing ----------------------------------------------------------------------------


def test_completing_issues_the_certificate_as_it_stands(pw, completed):
    certificate = certificate_of(completed)
    assert completed.state == State.COMPLETED and completed.completed_at is not None
    assert re.fullmatch(r"PAL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", certificate.code)
    assert certificate.holder_name == "Olga Observer"
    assert certificate.title == "Palliative ward observership"
    assert (certificate.host_name, certificate.host_city) == ("Luleå University Hospital", "Luleå")
    assert certificate.programme_name == "Nordic–Kazakh exchange"
    assert (certificate.starts_on, certificate.ends_on) == (date(2030, 3, 2), date(2030, 3, 15))
    assert certificate.days_present == 12
    assert certificate.hours == Decimal("9.50")  # submitted entries only: 4 + 3.5 + 2


def test_the_observer_and_home_coordinator_are_told_with_the_code(pw, completed):
    code = certificate_of(completed).code
    for person in (pw.observer, pw.home_coordinator):
        (told,) = notices(person)
        assert told["variant"] == "completed" and told["code"] == code
    assert notices(pw.supervisor) == []  # the one who acted


def test_completing_twice_issues_no_second_certificate(pw, completed):
    code = certificate_of(completed).code
    completion.complete(completed, pw.supervisor)
    db.session.commit()
    assert _certificates() == 1 and certificate_of(completed).code == code
    steps = [s for s in completed.steps if s.state == State.COMPLETED]
    assert len(steps) == 1 and len(notices(pw.observer)) == 1


def test_complete_without_a_final_assessment_refuses(pw, accepted):
    with pytest.raises(ValueError):
        completion.complete(accepted, pw.supervisor)
    db.session.rollback()
    assert _certificates() == 0
    assert db.session.scalar(
        select(func.count()).where(PlacementStep.state == State.COMPLETED)
    ) == 0  # fmt: skip


def test_a_code_is_never_one_a_course_certificate_has(pw, sample_course, monkeypatch):
    taken = make_certificate(pw.colleague, sample_course).code
    codes = iter([taken, "PAL-AAAA-BBBB-CCCC"])
    monkeypatch.setattr(observership_certificates, "new_code", lambda: next(codes))
    assert observership_certificates.unused_code() == "PAL-AAAA-BBBB-CCCC"


# --- The certificate's page and PDF -------------------------------------------------------


def test_who_sees_the_certificate_page(app, pw, completed):
    url = f"/placements/certificates/{certificate_of(completed).code}"
    for person in (pw.observer, pw.home_coordinator, pw.host_coordinator, pw.admin):
        response = signed_in(app, person).get(url)
        assert response.status_code == 200, person.name
        assert "Certificate of observership" in text_of(response)
    other_observer = make_user(institution=pw.home, name="Other Observer")
    for person in (pw.supervisor, pw.stranger, pw.funder, pw.colleague, other_observer):
        assert signed_in(app, person).get(url).status_code == 404, person.name
    signed_out = app.test_client().get(url)
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]


def test_the_page_shows_the_days_hours_host_and_verification_link(app, pw, completed):
    certificate = certificate_of(completed)
    page = text_of(signed_in(app, pw.observer).get(f"/placements/certificates/{certificate.code}"))
    assert "Olga Observer" in page and "Luleå University Hospital, Luleå" in page
    assert "12 days present" in page and "9.5 hours" in page
    assert f"http://palliare.test/verify/{certificate.code}" in page
    assert "Revoke this certificate" not in page  # administrators only


def test_the_pdf_downloads_and_says_what_the_certificate_says(app, pw, completed):
    certificate = certificate_of(completed)
    response = signed_in(app, pw.observer).get(f"/placements/certificates/{certificate.code}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and "no-store" in response.headers["Cache-Control"]
    with force_locale("en"):
        lines = certificate_lines(certificate, "en")
    assert "Certificate of observership" in lines and "Olga Observer" in lines
    assert "12 days present · 9.5 hours" in lines
    assert "from 2 March 2030 to 15 March 2030" in lines
    stranger = signed_in(app, pw.stranger).get(f"/placements/certificates/{certificate.code}/pdf")
    assert stranger.status_code == 404


# --- /verify, revoking and reinstating ------------------------------------------------------


def test_verify_shows_a_valid_observership_certificate_and_nothing_else(app, pw, completed):
    certificate = certificate_of(completed)
    response = app.test_client().get(f"/verify/{certificate.code.lower()}?lang=en")
    page = text_of(response)
    assert response.status_code == 200 and "Valid" in page
    for words in ("Olga Observer", "Certificate of observership", "Palliative ward observership",
                  "Luleå University Hospital, Luleå", "Nordic–Kazakh exchange", "2 March 2030",
                  "15 March 2030", "Days present", "9.5"):  # fmt: skip
        assert words in page, words
    assert pw.observer.email not in page and "Almaty Hospice" not in page


def test_verify_says_revoked_and_valid_again_after_reinstating(app, pw, completed, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    code = certificate_of(completed).code
    admin = signed_in(app, pw.admin)
    refused = admin.post(f"/placements/certificates/{code}/revoke", data={"reason": ""})
    assert refused.status_code == 400 and certificate_of(completed).revoked_at is None
    done = admin.post(f"/placements/certificates/{code}/revoke", data={"reason": "Not present"})
    assert done.status_code == 303
    page = text_of(app.test_client().get(f"/verify/{code}?lang=en"))
    assert "Revoked" in page and "no longer valid" in page
    assert notices(pw.observer)[-1]["variant"] == "revoked"
    assert (
        signed_in(app, pw.observer).get(f"/placements/certificates/{code}/pdf").status_code == 410
    )
    assert admin.post(f"/placements/certificates/{code}/reinstate").status_code == 303
    page = text_of(app.test_client().get(f"/verify/{code}?lang=en"))
    assert "Valid" in page and "Revoked" not in page


def test_only_administrators_revoke(app, pw, completed, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    code = certificate_of(completed).code
    for person in (pw.observer, pw.host_coordinator, pw.home_coordinator):
        response = signed_in(app, person).post(
            f"/placements/certificates/{code}/revoke", data={"reason": "x"}
        )
        assert response.status_code == 403, person.name
    assert certificate_of(completed).revoked_at is None


def test_an_unknown_code_is_404_and_course_certificates_still_verify(app, pw, sample_course):
    assert app.test_client().get("/verify/PAL-ZZZZ-ZZZZ-ZZZZ").status_code == 404
    course_code = make_certificate(pw.colleague, sample_course).code
    db.session.commit()
    response = app.test_client().get(f"/verify/{course_code}?lang=en")
    assert response.status_code == 200 and "Certificate of observership" not in text_of(response)


# --- CPD ----------------------------------------------------------------------------------


def test_a_completed_placement_counts_towards_cpd(app, pw, completed):
    (section,) = [s for s in cpd_statement(pw.observer) if str(s.source.heading) == "Observerships"]
    (line,) = section.activities
    assert line.title == "Palliative ward observership — Luleå University Hospital"
    assert (line.sessions, line.minutes) == (12, 570)
    page = text_of(signed_in(app, pw.observer).get("/certificates/"))
    assert "Observerships" in page and "Palliative ward observership" in page and "Days" in page


def test_a_revoked_certificate_and_an_accepted_placement_count_for_nothing(pw, completed):
    other = accept_placement(pw, pw.colleague, starts_on=date(2030, 4, 1))
    assert other.state == State.ACCEPTED
    observership_certificates.revoke_observership_certificate(
        pw.admin, certificate_of(completed), "Mistake"
    )
    for person in (pw.observer, pw.colleague):
        assert not [s for s in cpd_statement(person) if str(s.source.heading) == "Observerships"]


def test_a_code_is_never_one_another_observership_certificate_has(pw, completed, monkeypatch):
    taken = certificate_of(completed).code
    codes = iter([taken, "PAL-DDDD-EEEE-FFFF"])
    monkeypatch.setattr(observership_certificates, "new_code", lambda: next(codes))
    assert observership_certificates.unused_code() == "PAL-DDDD-EEEE-FFFF"


def test_the_holders_certificates_page_lists_theirs_and_nobody_elses(app, pw, completed):
    code = certificate_of(completed).code
    english(pw)
    page = signed_in(app, pw.observer).get("/certificates/")
    assert page.status_code == 200
    listed = text_of(page)
    assert "Certificate of observership: Palliative ward observership" in listed
    assert code in listed and f"/placements/certificates/{code}/pdf" in page.get_data(True)
    for other in (pw.colleague, pw.supervisor, pw.home_coordinator):
        assert code not in text_of(signed_in(app, other).get("/certificates/"))
    observership_certificates.revoke_observership_certificate(
        pw.admin, certificate_of(completed), "Mistake"
    )
    db.session.commit()
    page = signed_in(app, pw.observer).get("/certificates/")
    assert "revoked" in text_of(page) and f"{code}/pdf" not in page.get_data(True)
