"""Security settings: headers, cookies, production configuration."""

import pytest

from app import create_app
from tests.factories import make_user
from tests.helpers import sign_in


def test_security_headers_forbid_inline_script_and_framing(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, login):
    login(make_user())
    for url in ["/", "/profile", "/login"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_session_cookie_is_httponly_and_samesite(client):
    user = make_user()
    response = sign_in(client, user.email, "palliare-demo")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=None)


def test_production_cookies_are_secure():
    app = create_app(
        "production",
        SECRET_KEY="x" * 32,
        SERVER_NAME="palliare.example",
        SQLALCHEMY_DATABASE_URI="sqlite://",
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SECURITY_HSTS"]


def test_unknown_environment_name_is_refused():
    with pytest.raises(RuntimeError, match="PALLIARE_ENV"):
        create_app("staging")
