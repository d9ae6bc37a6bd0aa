"""Issue 14's account findings: each test failed before its fix."""

import os
import re
import stat

import pytest
from sqlalchemy import func, select

from app.auth.models import Invitation, Role, User
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.factories import make_user
from tests.helpers import CSRF_PATTERN, csrf_token, post_form, sign_in, text_of
from tests.mail import body_text, wait_for_mail

PASSWORD = "palliare-demo"


# --- 1. Links in e-mails come from configuration, never from the Host header --------


def test_reset_link_ignores_a_forged_host_header(client, mailbox):
    user = make_user()
    forged = "https://attacker.example"
    page = client.get("/password/forgot", base_url=forged)
    token = CSRF_PATTERN.search(text_of(page))
    data = {"csrf_token": token.group(1) or token.group(2), "email": user.email}
    referer = {"Referer": f"{forged}/password/forgot"}  # as the browser sends it
    response = client.post("/password/forgot", data=data, base_url=forged, headers=referer)
    assert response.status_code == 302
    [message] = wait_for_mail(mailbox)
    links = re.findall(r"https?://[^\s\"<>]+", body_text(message))
    assert links and all(link.startswith("http://palliare.test/") for link in links), links


def test_external_url_is_built_from_configuration_inside_a_request(app):
    from app.urls import external_url

    with app.test_request_context("/", base_url="https://attacker.example"):
        assert external_url("auth.join", token="t") == "http://palliare.test/join/t"


def test_production_refuses_to_start_without_server_name():
    from app import create_app

    with pytest.raises(RuntimeError, match="SERVER_NAME"):
        create_app("production", SECRET_KEY="x" * 32, SERVER_NAME=None)


# --- 2. The development secret is generated once per instance ------------------------


def test_development_secret_key_is_random_per_instance_and_private(tmp_path):
    from config import DevelopmentConfig, instance_secret_key

    assert DevelopmentConfig.SECRET_KEY != "dev-only-secret-key-not-for-production"
    first = instance_secret_key(tmp_path)
    assert len(first) >= 64 and first == instance_secret_key(tmp_path)
    assert instance_secret_key(tmp_path / "other") != first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


# --- 3. Sessions end on sign-out, deactivation and "sign out everywhere" -------------


def _copy_of(app, client):
    """Another client holding the same cookies (a stolen or copied session)."""
    copy = app.test_client()
    for cookie in client._cookies.values():
        copy.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return copy


def test_a_copied_session_cookie_dies_with_sign_out(app, client, login):
    login(make_user())
    copy = _copy_of(app, client)
    assert copy.get("/profile").status_code == 200
    assert post_form(client, "/logout", {}, form_page="/").status_code == 302
    assert copy.get("/profile").status_code == 302


def test_a_copied_remember_cookie_dies_with_sign_out(app, client):
    user = make_user()
    data = {"email": user.email, "password": PASSWORD, "remember": "y"}
    assert post_form(client, "/login", data).status_code == 302
    [remember] = [c for c in client._cookies.values() if c.key == "remember_token"]
    copy = app.test_client()
    copy.set_cookie("remember_token", remember.value, domain=remember.domain)
    assert copy.get("/profile").status_code == 200
    copy.delete_cookie("session", domain=remember.domain)
    post_form(client, "/logout", {}, form_page="/")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value, domain=remember.domain)
    assert fresh.get("/profile").status_code == 302


def test_a_reactivated_account_does_not_get_its_old_sessions_back(app, client, login):
    from app.auth import services

    admin = make_user(roles=(Role.ADMIN,))
    user = make_user()
    login(user)
    services.update_user(admin, user, user.name, user.profession, None, active=False)
    db.session.commit()
    services.update_user(admin, user, user.name, user.profession, None, active=True)
    db.session.commit()
    assert client.get("/profile").status_code == 302


def test_password_change_keeps_this_session_and_a_copy_of_it_dies(app, client, login):
    login(make_user())
    copy = _copy_of(app, client)
    form = {"current_password": PASSWORD, "password": "another long 1", "confirm": "another long 1"}
    assert post_form(client, "/profile/password", form, form_page="/profile").status_code == 302
    assert client.get("/profile").status_code == 200
    assert copy.get("/profile").status_code == 302


# --- 4. Sign-out needs the CSRF token ------------------------------------------------


def test_cross_site_logout_without_token_is_refused_and_keeps_the_session(client, login):
    login(make_user())
    response = client.post("/logout", data={}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 400
    assert client.get("/profile").status_code == 200


# --- 5. Sign-in limits: per account, and a high ceiling per address -------------------


@pytest.fixture
def limits(app):
    saved = {k: app.config.get(k) for k in ("LOGIN_RATE_LIMIT", "LOGIN_IP_RATE_LIMIT")}
    yield app.config
    app.config.update(saved)


def test_a_workshop_room_behind_one_address_can_sign_in(client, limits):
    limits["LOGIN_RATE_LIMIT"] = "3 per minute"
    people = [make_user() for _ in range(6)]
    statuses = [sign_in(client, person.email, "wrong").status_code for person in people]
    assert statuses == [401] * 6


def test_one_account_is_limited_whatever_the_address(app, limits):
    limits["LOGIN_RATE_LIMIT"] = "3 per minute"
    user = make_user()
    statuses = []
    for n in range(4):
        other = app.test_client()
        token = csrf_token(other, "/login")
        response = other.post(
            "/login",
            data={"csrf_token": token, "email": f" {user.email.upper()} ", "password": "wrong"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"},
        )
        statuses.append(response.status_code)
    assert statuses == [401, 401, 401, 429]
    assert "Too many" in text_of(response)


def test_one_address_has_a_higher_ceiling(client, limits):
    limits["LOGIN_IP_RATE_LIMIT"] = "5 per minute"
    statuses = [sign_in(client, f"p{n}@example.org", "wrong").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]


def test_limits_are_checked_by_their_views_not_before_every_request(app):
    # Every limit decorates its view; the before-request check (default, application,
    # blueprint limits: none are set) is left out (app/extensions.py). The tests above
    # show that the views' limits still apply.
    from app.extensions import limiter

    assert limiter._check_request_limit not in app.before_request_funcs[None]


def test_a_default_limit_keeps_the_check_before_every_request(app):
    from app import create_app
    from app.extensions import limiter

    try:
        limited = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            RATELIMIT_DEFAULT="2 per minute",
        )
        client = limited.test_client()
        statuses = [client.get("/healthz").status_code for _ in range(3)]
    finally:
        # The limiter is one instance: give the suite's app its settings back.
        limiter.limit_manager.set_default_limits([])
        limiter.init_app(app)
    assert limiter._check_request_limit in limited.before_request_funcs[None]
    assert statuses == [200, 200, 429]


def test_an_app_with_rate_limits_off_starts(app):
    # Flask-Limiter then registers no check at all: there is nothing to leave out.
    from app import create_app
    from app.extensions import limiter

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        unlimited = create_app("testing", SQLALCHEMY_DATABASE_URI=uri, RATELIMIT_ENABLED=False)
        status = unlimited.test_client().get("/healthz").status_code
    finally:
        limiter.init_app(app)  # one limiter instance: the suite's app's settings back
    assert status == 200


# --- 6. Guessing the current password is limited -------------------------------------


def test_password_change_is_rate_limited_per_user(app, client, login):
    saved = app.config["PASSWORD_CHANGE_RATE_LIMIT"]
    app.config["PASSWORD_CHANGE_RATE_LIMIT"] = "3 per minute"
    try:
        login(make_user())
        form = {
            "current_password": "guess",
            "password": "another long 1",
            "confirm": "another long 1",
        }
        statuses = [
            post_form(client, "/profile/password", form, form_page="/profile").status_code
            for _ in range(4)
        ]
    finally:
        app.config["PASSWORD_CHANGE_RATE_LIMIT"] = saved
    assert statuses == [400, 400, 400, 429]


# --- 7. No account enumeration ------------------------------------------------------


def test_reset_request_does_the_same_work_for_known_and_unknown_addresses(app, client, mailbox):
    """One e-mail rendered and written to the outbox either way, in as many SQL statements:
    the answer and its timing say nothing; only the address's owner reads which it was."""
    from flask import request_finished

    from tests.conftest import _run_tasks_after_request
    from tests.helpers import count_statements

    user = make_user()
    outbox = select(func.count(OutboxMessage.id))
    statements = []
    request_finished.disconnect(_run_tasks_after_request, app)  # see what the request did
    try:
        for email in (user.email, "nobody@example.org"):
            before = db.session.scalar(outbox)
            responses = []

            def request_reset(email=email, responses=responses):
                responses.append(post_form(client, "/password/forgot", {"email": email}))

            statements.append(count_statements(request_reset))
            assert responses[0].status_code == 302
            assert db.session.scalar(outbox) == before + 1  # durable, whatever the address
    finally:
        request_finished.connect(_run_tasks_after_request, app)
    assert statements[0] == statements[1]
    templates = list(db.session.scalars(select(OutboxMessage.template).order_by(OutboxMessage.id)))
    assert templates[-2:] == ["reset_password", "reset_no_account"]


def test_inviting_an_existing_account_answers_as_for_a_new_one(client, login, mailbox):
    admin = make_user(roles=(Role.ADMIN,))
    existing = make_user()
    login(admin)
    answers = []
    for email in (existing.email, "new.person@example.org"):
        form = {"email": email, "role": "learner", "institution": "0", "programme": "0"}
        response = post_form(client, "/invitations", form, follow_redirects=True)
        answers.append((response.status_code, "queued for sending" in text_of(response)))
        assert "already has an account" not in text_of(response)
    assert answers == [(200, True), (200, True)]
    invited = db.session.scalars(select(Invitation.email)).all()
    assert invited == ["new.person@example.org"]
    assert db.session.scalar(select(func.count(User.id)).where(User.email == existing.email)) == 1


# --- 8. One redirect check ----------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "/%0a/x\x00",
        "",
        None,
    ],
)
def test_safe_next_refuses_anything_but_a_local_path(app, target):
    from app.urls import safe_next

    with app.test_request_context("/"):
        assert safe_next(target) == "/"
        assert safe_next(target, default="/fallback") == "/fallback"


def test_safe_next_keeps_a_local_path_with_its_query(app):
    from app.urls import safe_next

    with app.test_request_context("/"):
        assert safe_next("/courses/1?tab=2#x") == "/courses/1?tab=2#x"


def test_sign_in_does_not_follow_a_backslash_next(client):
    user = make_user()
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": user.email, "password": PASSWORD}
    response = client.post("/login?next=/\\evil.example", data=data)
    assert response.headers["Location"] == "/"
