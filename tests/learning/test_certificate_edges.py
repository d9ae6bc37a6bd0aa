"""Rough edges of certificates (issue 16): no PDF link for a revoked one, revoking only
after a confirmation page (with a reason), undoing it, the administrators' list, and a
verification page that names the issuing institution and programme."""

import pytest

from app.auth.models import Role
from app.db_types import utcnow
from app.extensions import db
from app.learning.models import Certificate
from app.learning.queries import CertificateFilter, search_certificates
from tests.factories import make_certificate, make_institution, make_programme, make_user
from tests.helpers import count_statements, post_form, sign_in, text_of


def _client_of(app, user):
    client = app.test_client()
    assert sign_in(client, user.email, "palliare-demo").status_code == 302
    return client


@pytest.fixture
def holder(sample_course):
    return make_user(name="Aigerim Holder", email="aigerim@example.org")


@pytest.fixture
def certificate(holder, sample_course):
    certificate = make_certificate(holder, sample_course)
    db.session.commit()
    return certificate


@pytest.fixture
def admin(app):
    return _client_of(app, make_user(roles=[Role.ADMIN]))


def _revoke(certificate):
    certificate.revoked_at, certificate.revoked_reason = utcnow(), "Issued in error"
    db.session.commit()


# --- 1. No "Download PDF" for a revoked certificate; its PDF answers 410 ---------------


def test_a_valid_certificate_offers_its_pdf(app, holder, certificate):
    client = _client_of(app, holder)
    assert "Download PDF" in text_of(client.get("/certificates/"))
    assert "Download PDF" in text_of(client.get(f"/certificates/{certificate.code}"))


def test_a_revoked_certificate_offers_no_pdf_anywhere(app, holder, certificate):
    _revoke(certificate)
    client = _client_of(app, holder)
    listing = text_of(client.get("/certificates/"))
    page = text_of(client.get(f"/certificates/{certificate.code}"))
    assert "revoked" in listing and "Download PDF" not in listing
    assert "/pdf" not in listing and "/pdf" not in page and "Download PDF" not in page
    assert "Issued in error" in page  # the holder is told why
    assert client.get(f"/certificates/{certificate.code}/pdf").status_code == 410


# --- 2. Revoking is confirmed, with a reason, and can be undone ------------------------


def test_the_confirmation_page_says_whose_certificate_and_what_follows(admin, certificate):
    page = admin.get(f"/certificates/{certificate.code}/revoke")
    html = text_of(page)
    assert page.status_code == 200
    assert "Aigerim Holder" in html and "Sample course" in html and certificate.code in html
    assert "no longer valid" in html and "reinstate" in html
    assert (
        'name="reason"' in html and db.session.get(Certificate, certificate.id).revoked_at is None
    )


def test_the_certificate_page_links_to_the_confirmation_not_a_one_click_form(admin, certificate):
    html = text_of(admin.get(f"/certificates/{certificate.code}"))
    assert f'href="/certificates/{certificate.code}/revoke"' in html
    assert f'action="/certificates/{certificate.code}/revoke"' not in html


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_reason_is_required_and_bounded(admin, certificate, reason):
    url = f"/certificates/{certificate.code}/revoke"
    response = post_form(admin, url, {"reason": reason})
    assert response.status_code == 400
    assert 'class="error"' in text_of(response)
    assert db.session.get(Certificate, certificate.id).revoked_at is None


def test_revoke_then_undo_restores_a_valid_certificate(app, admin, certificate):
    url = f"/certificates/{certificate.code}"
    response = post_form(admin, f"{url}/revoke", {"reason": "Wrong person"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_reason == "Wrong person"
    page = text_of(admin.get(url))
    assert "Undo: reinstate this certificate" in page and "Download PDF" not in page
    assert "Revoked" in text_of(app.test_client().get(f"/verify/{certificate.code}"))

    response = post_form(admin, f"{url}/reinstate", {}, form_page=url)
    assert response.status_code == 303
    db.session.expire_all()
    reinstated = db.session.get(Certificate, certificate.id)
    assert reinstated.revoked_at is None and reinstated.revoked_reason is None
    verify = text_of(app.test_client().get(f"/verify/{certificate.code}"))
    assert "Valid" in verify and "Revoked" not in verify
    assert "Download PDF" in text_of(admin.get(url))


def test_revoking_and_reinstating_are_logged_with_who(admin, certificate, caplog):
    url = f"/certificates/{certificate.code}"
    with caplog.at_level("INFO", logger="app.learning.audit"):
        post_form(admin, f"{url}/revoke", {"reason": "Wrong person"})
        post_form(admin, f"{url}/reinstate", {}, form_page=url)
    lines = [r.getMessage() for r in caplog.records if r.name == "app.learning.audit"]
    assert [line.split(" by ")[0] for line in lines] == [
        f"certificate {certificate.code} revoked",
        f"certificate {certificate.code} reinstated",
    ]


def test_reinstating_a_valid_certificate_is_refused_with_a_message(admin, certificate):
    url = f"/certificates/{certificate.code}"
    response = post_form(admin, f"{url}/reinstate", {}, form_page=url, follow_redirects=True)
    assert "nothing to reinstate" in text_of(response)


def test_revoking_twice_changes_nothing(admin, certificate):
    _revoke(certificate)
    url = f"/certificates/{certificate.code}"
    response = admin.get(f"{url}/revoke")
    assert response.status_code == 303
    response = post_form(admin, f"{url}/revoke", {"reason": "Other"}, form_page=url)
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_reason == "Issued in error"


@pytest.mark.parametrize("who", ["holder", "trainer", "coordinator", "stranger"])
def test_only_administrators_revoke_or_reinstate(app, holder, certificate, who):
    institution = make_institution()
    people = {
        "holder": holder,
        "trainer": make_user(roles=[Role.TRAINER]),
        "coordinator": make_user(roles=[(Role.COORDINATOR, institution)], institution=institution),
        "stranger": make_user(),
    }
    client = _client_of(app, people[who])
    url = f"/certificates/{certificate.code}"
    assert client.get(f"{url}/revoke").status_code == 403
    token_page = "/profile"
    assert (
        post_form(client, f"{url}/revoke", {"reason": "x"}, form_page=token_page).status_code == 403
    )
    _revoke(certificate)
    assert post_form(client, f"{url}/reinstate", {}, form_page=token_page).status_code == 403
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is not None
    if who == "holder":
        assert "reinstate" not in text_of(client.get(url)).lower()


def test_signed_out_visitors_are_sent_to_sign_in(app, certificate):
    client = app.test_client()
    for url in (f"/certificates/{certificate.code}/revoke", "/admin/certificates"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- 3. The administrators' list of certificates ---------------------------------------


@pytest.fixture
def several(sample_course, quiz_course):
    people = [
        make_user(name="Bolat Nurse", email="bolat@example.org"),
        make_user(name="Chen Doctor", email="chen@hospital.cn"),
        make_user(name="Dana Worker", email="dana@example.org"),
    ]
    made = [make_certificate(people[0], sample_course), make_certificate(people[1], quiz_course)]
    made.append(make_certificate(people[2], sample_course))
    made[2].revoked_at = utcnow()
    db.session.commit()
    return people, made


def _listed(client, query: str) -> str:
    response = client.get(f"/admin/certificates{query}")
    assert response.status_code == 200, text_of(response)[:300]
    return text_of(response)


def test_the_list_finds_by_name_email_code_course_and_status(admin, several, quiz_course):
    people, made = several
    assert all(c.code in _listed(admin, "") for c in made)
    by_name = _listed(admin, "?q=bolat")
    assert made[0].code in by_name and made[1].code not in by_name
    by_email = _listed(admin, "?q=HOSPITAL.CN")
    assert made[1].code in by_email and made[0].code not in by_email
    by_code = _listed(admin, f"?q={made[2].code.lower()}")
    assert made[2].code in by_code and made[0].code not in by_code
    by_course = _listed(admin, f"?course={quiz_course.id}")
    assert made[1].code in by_course and made[0].code not in by_course
    revoked = _listed(admin, "?status=revoked")
    assert made[2].code in revoked and made[0].code not in revoked
    valid = _listed(admin, "?status=valid")
    assert made[0].code in valid and made[2].code not in valid
    mine = _listed(admin, f"?user={people[1].id}")
    assert made[1].code in mine and made[0].code not in mine


def test_a_bad_filter_is_said_beside_its_field(admin, several):
    response = admin.get("/admin/certificates?course=99999&status=lost")
    assert response.status_code == 400
    assert text_of(response).count('class="error"') == 2


def test_the_list_is_paginated(admin, several):
    viewer = make_user(roles=[Role.ADMIN])
    first = search_certificates(viewer, CertificateFilter(), page=1, per_page=2)
    second = search_certificates(viewer, CertificateFilter(), page=2, per_page=2)
    assert first.total == 3 and len(first.items) == 2 and len(second.items) == 1
    assert {c.id for c in first.items}.isdisjoint(c.id for c in second.items)


def test_the_list_is_for_administrators_only(app, several):
    people, _made = several
    institution = make_institution()
    for user in (
        people[0],
        make_user(roles=[Role.TRAINER]),
        make_user(roles=[(Role.COORDINATOR, institution)], institution=institution),
        make_user(roles=[(Role.FUNDER, make_programme())]),
    ):
        assert _client_of(app, user).get("/admin/certificates").status_code == 403
        assert search_certificates(user, CertificateFilter()).total == 0  # the rule as a filter


def test_the_account_page_links_to_the_persons_certificates(admin, several):
    people, _made = several
    html = text_of(admin.get(f"/admin/users/{people[1].id}"))
    assert f"/admin/certificates?user={people[1].id}" in html
    assert "/admin/certificates" in text_of(admin.get("/admin/users"))


# --- 4. Verification names the issuer; the certificate shows where to verify ------------


def test_verification_names_the_institution_and_programme(app, sample_course):
    institution = make_institution(name="Almaty Oncology Centre")
    make_programme([institution], name="Beijing Train-the-Trainer")
    user = make_user(institution=institution)
    certificate = make_certificate(user, sample_course)
    db.session.commit()
    html = text_of(app.test_client().get(f"/verify/{certificate.code}"))
    assert "Almaty Oncology Centre" in html and "Beijing Train-the-Trainer" in html


def test_verification_keeps_the_issuer_when_the_holder_moves_on(app, sample_course):
    before = make_institution(name="Almaty Oncology Centre")
    make_programme([before], name="Kazakh hospice exchange")
    user = make_user(institution=before)
    certificate = make_certificate(user, sample_course)
    user.institution_id = make_institution(name="Astana City Hospital").id
    db.session.commit()
    html = text_of(app.test_client().get(f"/verify/{certificate.code}"))
    assert "Almaty Oncology Centre" in html and "Kazakh hospice exchange" in html
    assert "Astana City Hospital" not in html


def test_verification_without_an_institution_shows_only_what_exists(app, certificate):
    html = text_of(app.test_client().get(f"/verify/{certificate.code}"))
    assert "Valid" in html and "Institution" not in html and "Programme" not in html


def test_the_certificate_page_shows_the_verification_address(app, holder, certificate):
    html = text_of(_client_of(app, holder).get(f"/certificates/{certificate.code}"))
    assert f"/verify/{certificate.code}" in html
    assert "Anyone can check this certificate at" in html and "/verify/</" not in html


def test_the_list_costs_the_same_for_one_certificate_or_many(admin, sample_course):
    make_certificate(make_user(), sample_course)
    db.session.commit()
    admin.get("/admin/certificates")  # delivers the holders' e-mails queued meanwhile
    one = count_statements(lambda: admin.get("/admin/certificates"))
    for _ in range(5):
        make_certificate(make_user(), sample_course)
    db.session.commit()
    admin.get("/admin/certificates")
    assert count_statements(lambda: admin.get("/admin/certificates")) == one
