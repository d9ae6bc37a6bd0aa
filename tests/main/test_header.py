"""The header's menu and the footer, as HTML: a disclosure that needs no script, the
language choice inside it, the unread count beside it, and a public link to /verify."""

import re

import pytest

from app.auth.models import Role
from tests.conftest import DEMO_PASSWORD
from tests.factories import make_user
from tests.helpers import sign_in, text_of


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


# The frame's menu, language list and footer are rendered once per language and key and
# kept in the process (templating.cached_fragment): these check that each viewer still
# gets their own, whatever was kept for someone else before.


def _menu(html: str) -> str:
    return _header(html).split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_kept_menu_shows_each_role_its_own_links(client, login):
    admin, learner = make_user(roles=[Role.ADMIN]), make_user()
    for _round in range(2):  # the second round is served from what the first kept
        login(admin)
        assert 'href="/admin/users"' in _menu(text_of(client.get("/?lang=en")))
        client.post("/logout", data={"csrf_token": _csrf(client)})
        login(learner)
        assert 'href="/admin/users"' not in _menu(text_of(client.get("/?lang=en")))
        client.post("/logout", data={"csrf_token": _csrf(client)})


def test_the_kept_menu_marks_the_section_and_speaks_the_language(client, login, app):
    from flask_babel import force_locale, gettext

    login(make_user())
    home = _menu(text_of(client.get("/?lang=en")))
    courses = _menu(text_of(client.get("/courses/?lang=en")))
    assert re.search(r'href="/" aria-current="page"', home)
    assert not re.search(r'href="/" aria-current="page"', courses)
    assert re.search(r'href="/courses/" aria-current="page"', courses)
    with app.test_request_context(), force_locale("ru"):
        russian = gettext("Courses")
    assert russian != "Courses"
    assert f">{russian}</a>" in _menu(text_of(client.get("/courses/?lang=ru")))
    assert ">Courses</a>" in _menu(text_of(client.get("/courses/?lang=en")))


def test_the_kept_menu_follows_the_unread_count(client, login, app, monkeypatch):
    if "notifications.inbox" not in app.view_functions:
        pytest.skip("no notifications inbox in this build")
    login(make_user())
    for count in (3, 4, 3):
        monkeypatch.setitem(app.jinja_env.globals, "unread_notifications", lambda n=count: n)
        header = _header(text_of(client.get("/?lang=en")))
        assert f'aria-label="{count} unread notifications"' in header
        assert f"({count} unread notifications)" in _menu(text_of(client.get("/?lang=en")))


def test_what_is_personal_in_the_frame_is_never_kept(app, login):
    """The sign-out form's CSRF token, the language form's path and the signed-in name
    stay outside the kept fragments."""
    first, second = app.test_client(), app.test_client()
    ann, bob = make_user(name="Ann Example"), make_user(name="Bob Example")
    sign_in(first, ann.email, DEMO_PASSWORD)
    sign_in(second, bob.email, DEMO_PASSWORD)
    ann_page = text_of(first.get("/courses/?lang=en"))
    bob_page = text_of(second.get("/profile?lang=en"))
    assert _csrf_in(ann_page) != _csrf_in(bob_page)
    assert 'action="/courses/"' in _header(ann_page) and 'action="/profile"' in _header(bob_page)
    assert "Signed in as Ann Example" in ann_page and "Signed in as Bob Example" in bob_page
    assert "Ann Example" not in bob_page


def _csrf_in(html: str) -> str:
    form = html.split('action="/logout"', 1)[1]
    return re.search(r'name="csrf_token" value="([^"]+)"', form)[1]


def _csrf(client) -> str:
    return _csrf_in(text_of(client.get("/profile?lang=en")))
