"""The header's menu and the footer, as HTML: a disclosure that needs no script, the
language choice inside it, the unread count beside it, and a public link to /verify."""

import re

import pytest

from app.auth.models import Role
from tests.factories import make_user
from tests.helpers import text_of


def _header(html: str) -> str:
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def test_the_menu_is_a_disclosure_holding_the_nav_and_the_language(client, login):
    login(make_user(roles=[Role.ADMIN]))
    header = _header(text_of(client.get("/?lang=en")))
    menu = header.split('<details class="menu" id="site-menu">', 1)[1]
    assert menu.lstrip().startswith('<summary class="menu-button">')
    assert 'class="main-nav"' in menu and 'id="lang-select"' in menu
    assert "<details" not in header.split('<details class="menu"', 1)[0]
    assert '<meta name="color-scheme" content="light dark">' in text_of(client.get("/profile"))


def test_a_visitor_gets_sign_in_and_the_language_and_a_link_to_verify(client):
    html = text_of(client.get("/?lang=en"))
    header = _header(html)
    assert 'href="/login"' in header and 'id="lang-select"' in header
    assert 'class="bell"' not in header
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert re.search(r'<a href="/verify/">Verify a certificate</a>', footer)


def test_the_sign_in_page_does_not_link_to_itself(client):
    assert 'href="/login"' not in _header(text_of(client.get("/login?lang=en")))


def test_calendar_and_notifications_show_once_their_pages_exist(client, login, app, monkeypatch):
    """The menu asks may_visit(): an endpoint not (yet) registered is left out."""
    login(make_user())
    header = _header(text_of(client.get("/?lang=en")))
    if "calendar.index" in app.view_functions:
        assert "/calendar" in header
    if "notifications.inbox" not in app.view_functions:
        assert 'class="bell"' not in header
        pytest.skip("no notifications inbox in this build")
    monkeypatch.setitem(app.jinja_env.globals, "unread_notifications", lambda: 3)
    header = _header(text_of(client.get("/?lang=en")))
    bell = header.split('class="bell"', 1)[1].split("</a>", 1)[0]
    assert 'aria-label="3 unread notifications"' in bell and ">3</span>" in bell
