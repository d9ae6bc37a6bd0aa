"""Quiz, attempt, review, certificate and verification pages through HTTP."""

import re

from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.learning.models import Certificate
from app.quizzes.models import Attempt
from tests.factories import make_user
from tests.helpers import csrf_token, post_form, text_of
from tests.quizzes.helpers import complete_lessons, enrol, perfect_form, take

COURSE = "/courses/quiz-course"


def _start(client, key="check"):
    response = post_form(
        client, f"{COURSE}/quizzes/{key}/start", {}, form_page=f"{COURSE}/quizzes/{key}"
    )
    assert response.status_code == 303, text_of(response)[:300]
    return response.headers["Location"]


def _signed_in_learner(client, login, quiz_course, pre_test_done=True):
    user = make_user(locale="en")
    enrol(user, quiz_course)
    if pre_test_done:
        take(user, quiz_course, "knowledge", right=False)
    db.session.commit()
    login(user)
    return user


def test_lessons_wait_for_the_pre_test(client, login, quiz_course):
    _signed_in_learner(client, login, quiz_course, pre_test_done=False)
    response = client.get(f"{COURSE}/lessons/reading")
    assert response.headers["Location"].endswith(f"{COURSE}/quizzes/knowledge")


def test_the_attempt_page_carries_no_answers_and_no_rationales(client, login, quiz_course):
    _signed_in_learner(client, login, quiz_course)
    html = text_of(client.get(_start(client)))
    assert "Palliative care can start at diagnosis." in html
    for secret in (
        "WHO: it starts early",
        "dropped the stepwise",
        "tolerance does not develop",
        "correct",
        "answer: true",
    ):
        assert secret not in html.replace("the correct answers", "")


def test_submit_shows_the_review_and_a_resubmission_changes_nothing(client, login, quiz_course):
    user = _signed_in_learner(client, login, quiz_course)
    attempt_url = _start(client)
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.phase == "quiz")
    )
    data = perfect_form(attempt).to_dict(flat=False)
    token = csrf_token(client, attempt_url)
    first = client.post(f"{attempt_url}/submit", data={"csrf_token": token, **data})
    second = client.post(f"{attempt_url}/submit", data={"csrf_token": token, **data})
    assert first.status_code == second.status_code == 303
    review = text_of(client.get(attempt_url))
    assert "Score: 3 of 3" in review and "WHO: it starts early" in review  # rationale now
    assert db.session.scalar(select(Attempt.percent).where(Attempt.id == attempt.id)) == 100


def test_a_malformed_answer_is_a_400_with_the_answers_kept(client, login, quiz_course):
    _signed_in_learner(client, login, quiz_course)
    attempt_url = _start(client)
    response = post_form(
        client,
        f"{attempt_url}/submit",
        {"q-early": "true", "q-ladder": "perhaps"},
        form_page=attempt_url,
    )
    assert response.status_code == 400
    html = text_of(response)
    assert "answer true or false" in html
    assert re.search(r'name="q-early" value="true"\s+checked', html)


def test_another_persons_attempt_is_forbidden(client, login, quiz_course, app):
    owner = make_user()
    enrol(owner, quiz_course)
    take(owner, quiz_course, "knowledge", right=False)
    db.session.commit()
    attempt = db.session.scalar(select(Attempt).where(Attempt.user_id == owner.id))
    _signed_in_learner(client, login, quiz_course)
    assert client.get(f"/attempts/{attempt.id}").status_code == 404
    token = csrf_token(client, "/")
    assert (
        client.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token}).status_code == 404
    )


def test_starting_after_the_last_attempt_is_refused(client, login, quiz_course):
    user = _signed_in_learner(client, login, quiz_course)
    for _ in range(3):
        take(user, quiz_course, "check", right=False)
        for attempt in db.session.scalars(select(Attempt).where(Attempt.user_id == user.id)):
            attempt.submitted_at = attempt.submitted_at.replace(year=2025)
    db.session.commit()
    response = post_form(
        client, f"{COURSE}/quizzes/check/start", {}, form_page=f"{COURSE}/quizzes/check"
    )
    assert response.status_code == 403 and "used all your attempts" in text_of(response)


def _completed(client, login, quiz_course):
    user = _signed_in_learner(client, login, quiz_course)
    complete_lessons(user, quiz_course)
    take(user, quiz_course, "check", right=True)  # the last step: the course is complete
    db.session.commit()
    return user, db.session.scalar(select(Certificate))


def test_certificate_page_pdf_and_public_verification(client, login, quiz_course, app):
    user, certificate = _completed(client, login, quiz_course)
    page = text_of(client.get(f"/certificates/{certificate.code}"))
    assert user.name in page and "data:image/svg+xml" in page
    pdf = client.get(f"/certificates/{certificate.code}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert b"WenQuanYi" in pdf.data or b"DejaVu" in pdf.data  # the bundled fonts are embedded
    anonymous = app.test_client()
    verify = anonymous.get(f"/verify/{certificate.code.lower()}")
    html = text_of(verify)
    assert verify.status_code == 200 and "Valid" in html and user.name in html
    assert "Quiz course" in html and "2" in html
    for private in (user.email, "Score", "attempt", "nurse", "Nurse"):
        assert private not in html.split("<main")[1]
    assert anonymous.get("/verify/PAL-NONE-NONE-NONE").status_code == 404


def test_certificate_pdf_in_chinese_and_kazakh(client, login, quiz_course):
    _user, certificate = _completed(client, login, quiz_course)
    for lang in ("zh_Hans", "kk"):
        client.get(f"/?lang={lang}")
        pdf = client.get(f"/certificates/{certificate.code}/pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_only_the_holder_or_an_admin_sees_a_certificate(client, login, quiz_course, app):
    _user, certificate = _completed(client, login, quiz_course)
    stranger = app.test_client()
    post_form(stranger, "/login", {"email": make_user().email, "password": "palliare-demo"})
    assert stranger.get(f"/certificates/{certificate.code}").status_code == 404
    assert stranger.get(f"/certificates/{certificate.code}/pdf").status_code == 404


def test_an_admin_revokes_and_verification_says_so(client, login, quiz_course, app):
    _user, certificate = _completed(client, login, quiz_course)
    admin = app.test_client()
    post_form(
        admin, "/login", {"email": make_user(roles=[Role.ADMIN]).email, "password": "palliare-demo"}
    )
    url = f"/certificates/{certificate.code}/revoke"  # the confirmation page
    assert post_form(admin, url, {"reason": ""}).status_code == 400
    assert db.session.get(Certificate, certificate.id).revoked_at is None  # a reason is required
    post_form(admin, url, {"reason": "Issued in error"})
    html = text_of(app.test_client().get(f"/verify/{certificate.code}"))
    assert "Revoked" in html and "Issued in error" not in html


def test_statistics_are_for_staff(client, login, quiz_course, app):
    _signed_in_learner(client, login, quiz_course)
    assert client.get(f"{COURSE}/quizzes/check/statistics").status_code == 403
    trainer = app.test_client()
    post_form(
        trainer,
        "/login",
        {"email": make_user(roles=[Role.TRAINER]).email, "password": "palliare-demo"},
    )
    html = text_of(trainer.get(f"{COURSE}/quizzes/check/statistics"))
    assert "Facility" in html


def test_the_pre_test_review_keeps_the_answer_key_hidden(client, login, quiz_course):
    user = _signed_in_learner(client, login, quiz_course, pre_test_done=False)
    attempt_url = _start(client, "knowledge")
    post_form(client, f"{attempt_url}/submit", {"confirm_unanswered": "1"}, form_page=attempt_url)
    review = text_of(client.get(attempt_url))
    assert "pre-test recorded" in review
    for secret in ("Scottish guidelines: 1/6", "correct answer", "Treat reversible causes first"):
        assert secret not in review
    assert user


def test_a_revoked_certificate_is_no_longer_issued_as_pdf(client, login, quiz_course):
    _user, certificate = _completed(client, login, quiz_course)
    from app.db_types import utcnow

    certificate.revoked_at = utcnow()
    db.session.commit()
    assert client.get(f"/certificates/{certificate.code}/pdf").status_code == 410


def test_marking_a_lesson_complete_waits_for_the_pre_test(client, login, quiz_course):
    _signed_in_learner(client, login, quiz_course, pre_test_done=False)
    token = csrf_token(client, COURSE)
    response = client.post(f"{COURSE}/lessons/reading/complete", data={"csrf_token": token})
    assert response.status_code == 403


def test_the_message_of_a_submission_never_says_none(app):
    """Built from what the sending did: a repeat (nothing recorded) has no message, and a
    completion reported without a newly scored sheet is said alone, never as "None …"."""
    from app.learning.completion import Outcome
    from app.quizzes.views import _submitted_message

    with app.test_request_context("/"):
        assert _submitted_message(Outcome()) is None
        assert _submitted_message(Outcome(recorded=1)) == "Your answers were sent and scored."
        completed = Outcome(recorded=0, completions=(object(),))
        assert _submitted_message(completed) == (
            "You completed the course. Your certificate is ready."
        )
        both = Outcome(recorded=1, completions=(object(),))
        assert _submitted_message(both) == (
            "Your answers were sent and scored. "
            "You completed the course. Your certificate is ready."
        )
