"""The calendar-feed page: making an address is POST → redirect → GET, the address is
shown once with a copy button, webcal, Google and Outlook links, and the page speaks of
an old address only once there is one."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from app.conferences.feed_links import subscribe_links
from tests.helpers import post_form, text_of

PAGE = "/conferences/calendar"


def _make(client, page=PAGE, action=f"{PAGE}/new"):
    return post_form(client, action, {}, form_page=page)


def _address(html: str) -> str | None:
    match = re.search(r'readonly value="([^"]+)"', html)
    return unescape(match.group(1)) if match else None


def _path(url: str) -> str:
    return url.replace("http://palliare.test", "")


def test_the_first_visit_speaks_of_no_old_address(world, client, login):
    login(world["clinician"])
    html = text_of(client.get(PAGE))
    main = html.split("<main", 1)[1].split("</main>", 1)[0].lower()
    assert not re.search(r"\bold\b", main) and "previous" not in main and "stops" not in main
    assert "There is no address yet." in html and ">Make the address</button>" in html
    assert "Stop this address" not in html and _address(html) is None


def test_making_an_address_redirects_and_a_reload_sends_nothing_again(world, client, login):
    login(world["clinician"])
    response = _make(client)
    assert response.status_code == 303 and urlsplit(response.headers["Location"]).path == PAGE
    html = text_of(client.get(PAGE))
    url = _address(html)
    assert url.startswith("http://palliare.test/calendar/") and url.endswith(".ics")
    assert "Your address is ready." in html and "old address" not in html
    assert client.get(_path(url)).status_code == 200
    # A reload is a GET: no second address, the first one still works, and it is not
    # shown again (only its hash is kept).
    again = text_of(client.get(PAGE))
    assert _address(again) is None and "You have an address." in again
    assert client.get(_path(url)).status_code == 200
    assert "Make a new address (the old one stops working)" in again


def test_a_new_address_replaces_the_old_one_and_says_so(world, client, login):
    login(world["clinician"])
    _make(client)
    first = _address(text_of(client.get(PAGE)))
    _make(client)
    html = text_of(client.get(PAGE))
    second = _address(html)
    assert second != first and "The old address no longer works." in html
    assert client.get(_path(first)).status_code == 404
    assert client.get(_path(second)).status_code == 200


def test_stopping_the_address_redirects_and_stops_it(world, client, login):
    login(world["clinician"])
    _make(client)
    url = _address(text_of(client.get(PAGE)))
    response = post_form(client, f"{PAGE}/revoke", {}, form_page=PAGE)
    assert response.status_code == 303
    html = text_of(client.get(PAGE))
    assert "The address no longer works" in html and "There is no address yet." in html
    assert client.get(_path(url)).status_code == 404


def test_the_page_offers_copy_webcal_google_and_outlook(world, client, login):
    login(world["clinician"])
    _make(client)
    html = text_of(client.get(PAGE))
    url = _address(html)
    hrefs = [unescape(h) for h in re.findall(r'<a href="([^"]+)"', html)]
    webcal = "webcal://" + url.removeprefix("http://")
    assert webcal in hrefs
    google = next(h for h in hrefs if h.startswith("https://calendar.google.com/"))
    assert parse_qs(urlsplit(google).query) == {"cid": [webcal]}
    outlook = next(h for h in hrefs if h.startswith("https://outlook.live.com/"))
    assert urlsplit(outlook).path == "/calendar/0/addfromweb"
    assert parse_qs(urlsplit(outlook).query) == {"url": [url], "name": ["Palliare"]}
    # The copy button waits for its script (hidden without it); the field is read-only.
    assert re.search(r'<button type="button"[^>]*data-copy="feed-url"[^>]*hidden>', html)
    assert "data-select-on-focus" in html and "/static/js/copy.js" in html


def test_the_copy_script_is_loaded_only_where_there_is_an_address_to_copy(world, client, login):
    login(world["clinician"])
    assert "copy.js" not in text_of(client.get(PAGE))
    assert "copy.js" not in text_of(client.get("/calendar"))


def test_links_encode_every_character_of_the_address_and_name():
    links = subscribe_links("https://example.org/calendar/a-b_c.ics?x=1&y=2", "Hub & spoke #1")
    assert links.webcal == "webcal://example.org/calendar/a-b_c.ics?x=1&y=2"
    assert links.google == (
        "https://calendar.google.com/calendar/r?cid="
        "webcal%3A%2F%2Fexample.org%2Fcalendar%2Fa-b_c.ics%3Fx%3D1%26y%3D2"
    )
    query = parse_qs(urlsplit(links.outlook).query)
    assert query == {
        "url": ["https://example.org/calendar/a-b_c.ics?x=1&y=2"],
        "name": ["Hub & spoke #1"],
    }


def test_a_series_feed_page_is_the_organisers_and_shows_its_own_address(world, client, login):
    series = world["series"]
    page = f"/conferences/{series.id}/calendar"
    login(world["organiser"])
    assert "There is no address yet." in text_of(client.get(page))
    response = _make(client, page, f"{page}/new")
    assert response.status_code == 303 and urlsplit(response.headers["Location"]).path == page
    # The address made for the series is not shown on one's personal page.
    assert _address(text_of(client.get(PAGE))) is None
    _make(client, page, f"{page}/new")
    html = text_of(client.get(page))
    url = _address(html)
    assert url and "The old address no longer works." in html
    outlook = next(unescape(h) for h in re.findall(r'<a href="([^"]+)"', html) if "outlook" in h)
    assert parse_qs(urlsplit(outlook).query)["name"] == [series.title]


def test_only_the_organiser_reaches_a_series_feed_page(world, client, login):
    login(world["clinician"])  # a participant, not an organiser
    assert client.get(f"/conferences/{world['series'].id}/calendar").status_code == 403
