"""Sign-in, invitations, password reset and profile through HTTP, with real e-mail."""

import re

from sqlalchemy import func, select

from app.auth.models import Invitation, Role, User
from app.extensions import db
from tests.factories import make_institution, make_user
from tests.helpers import csrf_token, post_form, sign_in, text_of
from tests.mail import body_text, wait_for_mail

GENERIC_ERROR = "The e-mail address or password is not correct."


def _link_in(message, path: str) -> str:
    match = re.search(rf"http://palliare\.test({path}/[^\s\"<]+)", body_text(message))
    assert match, body_text(message)
    return match.group(1)


def test_sign_in_and_out(client):
    user = make_user()
    response = sign_in(client, user.email, "palliare-demo")
    assert response.status_code == 302
    assert user.name in text_of(client.get("/"))
    response = post_form(client, "/logout", {}, form_page="/")
    assert response.status_code == 302
    assert client.get("/profile").status_code == 302  # signed out: sent to sign in


def test_wrong_password_and_unknown_email_get_the_same_generic_error(client):
    user = make_user()
    wrong = sign_in(client, user.email, "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert GENERIC_ERROR in text_of(wrong) and GENERIC_ERROR in text_of(unknown)
    assert db.session.get(User, user.id).last_login_at is None


def test_sign_in_is_rate_limited(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [sign_in(client, "x@example.org", "wrong").status_code for _ in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "100 per minute"
    assert statuses == [401, 401, 401, 429]


def test_next_parameter_never_leaves_the_site(client):
    user = make_user()
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": user.email, "password": "palliare-demo"}
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"
    post_form(client, "/logout", {}, form_page="/")
    token = csrf_token(client, "/login")
    response = client.post("/login?next=/profile", data={**data, "csrf_token": token})
    assert response.headers["Location"] == "/profile"


def test_a_form_without_csrf_token_is_refused_and_writes_nothing(client, login):
    user = login(make_user()) and db.session.scalar(select(User).order_by(User.id.desc()))
    response = client.post("/profile", data={"name": "Changed", "profession": "doctor"})
    assert response.status_code == 400
    assert "The form expired" in text_of(response)
    assert db.session.get(User, user.id).name != "Changed"


def test_invitation_by_email_then_join_once(client, login, mailbox):
    institution = make_institution(name="Luleå Hospice Team", default_locale="sv")
    trainer = make_user(roles=[Role.TRAINER], institution=institution)
    login(trainer)
    response = post_form(
        client,
        "/invitations",
        {"email": "New.Nurse@example.org", "role": "learner", "institution": institution.id},
    )
    assert response.status_code == 302
    [message] = mailbox
    assert message["To"] == "new.nurse@example.org"
    assert message["Subject"] == "Du är inbjuden till Palliare"  # the institution's language
    join_path = _link_in(message, "/join")
    post_form(client, "/logout", {}, form_page="/")

    form = {
        "name": "Ny Sjuksköterska",
        "profession": "nurse",
        "timezone": "Europe/Stockholm",
        "locale": "sv",
        "password": "a long enough password",
        "confirm": "a long enough password",
    }
    assert post_form(client, join_path, form).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.nurse@example.org"))
    assert user.institution_id == institution.id and user.roles == {Role.LEARNER}

    post_form(client, "/logout", {}, form_page="/")
    again = client.get(join_path)
    assert again.status_code == 400
    assert "already been used" in text_of(again)


def test_invitation_with_malformed_or_overlong_email_writes_nothing(client, login, mailbox):
    login(make_user(roles=[Role.ADMIN]))
    for bad in ["not-an-email", "a@" + "b" * 260 + ".org"]:
        response = post_form(
            client,
            "/invitations",
            {"email": bad, "role": "learner", "institution": make_institution().id},
        )
        assert response.status_code == 400
        assert "e-mail address" in text_of(response)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    assert mailbox == []


def test_trainer_cannot_invite_an_admin_by_forging_the_form(client, login):
    institution = make_institution()
    login(make_user(roles=[Role.TRAINER], institution=institution))
    response = post_form(
        client,
        "/invitations",
        {"email": "x@example.org", "role": "admin", "institution": institution.id},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_password_reset_by_email(client, mailbox):
    user = make_user()
    response = post_form(client, "/password/forgot", {"email": user.email})
    assert response.status_code == 302
    [message] = wait_for_mail(mailbox)
    reset_path = _link_in(message, "/password/reset")
    form = {"password": "my new long password", "confirm": "my new long password"}
    assert post_form(client, reset_path, form).status_code == 302
    assert sign_in(client, user.email, "my new long password").status_code == 302
    assert client.get(reset_path).status_code == 400  # used: the link is dead


def test_password_reset_for_unknown_email_looks_the_same_and_sends_no_link(client, mailbox):
    response = post_form(client, "/password/forgot", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert "If an account uses this address" in text_of(client.get("/login"))
    [note] = mailbox  # to the address's owner only: no account uses it
    assert note["To"] == "nobody@example.org" and "/password/reset/" not in body_text(note)
    assert "no account uses it" in body_text(note)


def test_forged_reset_token_is_refused(client):
    response = client.get("/password/reset/forged.token.value")
    assert response.status_code == 400
    assert "not valid" in text_of(response)


def test_profile_update_and_overlong_name(client, login):
    user = login(make_user()) and db.session.scalar(select(User).order_by(User.id.desc()))
    form = {"name": "Aigerim N.", "profession": "doctor", "locale": "kk", "timezone": "Asia/Almaty"}
    assert post_form(client, "/profile", form).status_code == 302
    assert (user.name, user.locale, user.timezone) == ("Aigerim N.", "kk", "Asia/Almaty")
    response = post_form(client, "/profile", {**form, "name": "x" * 121})
    assert response.status_code == 400
    assert db.session.get(User, user.id).name == "Aigerim N."


def test_password_change_signs_out_other_sessions(app, client, login):
    user = make_user()
    other_device = app.test_client()
    sign_in(other_device, user.email, "palliare-demo")
    login(user)
    form = {
        "current_password": "palliare-demo",
        "password": "another long password",
        "confirm": "another long password",
    }
    assert post_form(client, "/profile/password", form, form_page="/profile").status_code == 302
    assert client.get("/profile").status_code == 200  # this session stays
    assert other_device.get("/profile").status_code == 302  # the other one is signed out


def test_wrong_current_password_changes_nothing(client, login):
    user = make_user()
    login(user)
    form = {
        "current_password": "wrong",
        "password": "another long password",
        "confirm": "another long password",
    }
    response = post_form(client, "/profile/password", form, form_page="/profile")
    assert response.status_code == 400
    assert "current password is not correct" in text_of(response)
    assert sign_in(client.application.test_client(), user.email, "palliare-demo").status_code == 302


def test_a_deactivated_user_is_signed_out_at_once(app, client, login):
    user = make_user()
    login(user)
    user.active = False
    db.session.commit()
    assert client.get("/profile").status_code == 302


def test_admin_invites_a_funder_who_belongs_to_no_institution(client, login, mailbox):
    from tests.factories import make_programme

    programme = make_programme()
    login(make_user(roles=[Role.ADMIN]))
    form = {
        "email": "funder@example.net",
        "role": "funder",
        "institution": 0,
        "programme": programme.id,
    }
    assert post_form(client, "/invitations", form).status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.institution_id is None and invitation.role == Role.FUNDER
    assert len(mailbox) == 1


def test_reset_request_when_mail_server_is_down_still_answers_the_same(app, client, mailbox):
    user = make_user()
    app.config["MAIL_PORT"], port = 1, app.config["MAIL_PORT"]  # nothing listens there
    try:
        response = post_form(client, "/password/forgot", {"email": user.email})
    finally:
        app.config["MAIL_PORT"] = port
    assert response.status_code == 302


def test_admin_invites_a_funder_to_a_programme_and_a_translator_for_a_language(client, login):
    from tests.factories import make_programme

    programme = make_programme()
    login(make_user(roles=[Role.ADMIN]))
    no_scope = {"email": "f@example.net", "role": "funder", "institution": 0}
    response = post_form(client, "/invitations", no_scope)
    assert response.status_code == 400 and "needs a scope" in text_of(response)
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    post_form(client, "/invitations", {**no_scope, "programme": programme.id})
    post_form(
        client,
        "/invitations",
        {"email": "t@example.net", "role": "translator", "institution": 0, "locale": "kk"},
    )
    funder_invitation, translator_invitation = db.session.scalars(
        select(Invitation).order_by(Invitation.id)
    ).all()
    assert funder_invitation.programme_id == programme.id and translator_invitation.locale == "kk"
