"""Offline learning in Chromium with the network switched off (Playwright's offline mode):
a course downloaded, read, completed and answered offline, sent once when back online;
the outbox replayed twice stores nothing twice; the plain-form path with no service
worker; a logbook day refused by the de-identification guard is shown refused."""

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.auth.models import User
from app.courses.models import Lesson, LessonProgress
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.quizzes.models import Attempt, Quiz
from tests.browser.conftest import LIVE
from tests.browser.helpers import assert_fits, click_and_wait
from tests.factories import make_user

pytestmark = pytest.mark.browser

COURSE = "/courses/foundations-of-palliative-care"
LAST_DAYS = ["recognising-dying", "anticipatory-medicines-secretions", "comfort-care-last-days"]


def _rows(query):
    with LIVE["app"].app_context():
        return db.session.execute(query).all()


def _user_id(email: str) -> int:
    return _rows(select(User.id).where(User.email == email))[0][0]


def _completed(user_id: int, lesson_keys: list[str]) -> int:
    return _rows(
        select(func.count())
        .select_from(LessonProgress)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id == user_id, Lesson.key.in_(lesson_keys))
        .where(LessonProgress.completed_at.is_not(None))
    )[0][0]


def _scored(user_id: int, quiz_key: str) -> int:
    return _rows(
        select(func.count())
        .select_from(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id == user_id, Quiz.key == quiz_key)
        .where(Attempt.submitted_at.is_not(None), Attempt.percent.is_not(None))
    )[0][0]


def _until(check, within: float = 20.0):
    """Poll ``check()`` (the server's database) until it is true, for at most ``within``s."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, f"not in time: {check}"
        time.sleep(0.25)


def _controlled(page) -> None:
    """The service worker has taken the page (registered after load, clients.claim)."""
    # (wait_for_function would evaluate a string, which the CSP forbids)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()  # clients.claim() may lose the race with a page still loading
    _until(lambda: page.evaluate("() => navigator.serviceWorker.controller !== null"), 10)


def _download(page, course: str = COURSE) -> None:
    page.goto(course)
    _controlled(page)
    panel = page.locator("#offline-panel")
    expect(panel.locator(".offline-size")).not_to_be_empty()  # the size, first
    button = panel.locator(".offline-download")
    expect(button).to_be_enabled()
    button.click()
    done = panel.get_attribute("data-done")  # in the learner's language
    expect(panel.locator(".offline-state")).to_contain_text(done, timeout=60_000)
    expect(panel.locator(".offline-remove")).to_be_visible()


def _outbox(page) -> list[dict]:
    return page.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open("palliare-offline");
          open.onsuccess = () => {
            const all = open.result.transaction("outbox").objectStore("outbox").getAll();
            all.onsuccess = () => resolve(all.result);
          };
        })"""
    )


def _answer_every_question(page) -> None:
    form = page.locator("#quiz-form")
    names = form.locator("input[type=radio]").evaluate_all(
        "inputs => [...new Set(inputs.map(i => i.name))]"
    )
    for name in names:
        form.locator(f"input[type=radio][name='{name}']").first.check()
    for box in form.locator("input[type=checkbox]").all()[:1]:
        box.check()


def test_a_course_learned_offline_reaches_the_server_once(page, sign_in):
    """Download Foundations, go offline, read and complete three lessons, answer a quiz,
    close the tab, open a new one online: three completions and one scored attempt."""
    email = "gao.yan@example.org"  # 14 lessons done (through communication), pre-test taken
    learner = _user_id(email)
    page.set_viewport_size({"width": 360, "height": 740})  # a phone
    sign_in(email)
    _download(page)
    assert_fits(page, 360)
    before = _scored(learner, "communication-check")
    assert _completed(learner, LAST_DAYS) == 0

    context = page.context
    context.set_offline(True)
    page.goto(f"{COURSE}/lessons/{LAST_DAYS[0]}")
    for number, key in enumerate(LAST_DAYS):
        expect(page).to_have_url(re.compile(f"/lessons/{key}$"))
        expect(page.locator("article.lesson h1")).not_to_be_empty()
        click_and_wait(page, page.locator("form[action$='/complete'] button"))
        assert len(_outbox(page)) == number + 1  # kept on the device before the answer
    page.goto(f"{COURSE}/lessons/{LAST_DAYS[0]}")  # the stored copy: its form is waiting
    expect(page.locator("#sync-status")).to_contain_text("3")
    expect(page.locator("form[action$='/complete'] button")).to_be_disabled()
    page.goto(f"{COURSE}/quizzes/communication-check")
    click_and_wait(page, page.locator("main form button[type=submit]"))  # Start (stored)
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    _answer_every_question(page)
    click_and_wait(page, page.locator("#quiz-form button[type=submit]").first)
    expect(page).to_have_url(re.compile(r"/offline\?queued="))
    expect(page.locator(".outbox-waiting li")).to_have_count(4)
    assert_fits(page, 360)
    assert _completed(learner, LAST_DAYS) == 0 and _scored(learner, "communication-check") == before

    page.close()  # nothing is lost with the tab
    again = context.new_page()
    context.set_offline(False)
    again.goto("/offline")
    _until(
        lambda: (
            _completed(learner, LAST_DAYS) == 3 and _scored(learner, "communication-check") > before
        )
    )
    expect(again.locator(".outbox-sent li")).to_have_count(4)
    expect(again.locator(".outbox-waiting li")).to_have_count(0)
    time.sleep(1)
    assert _completed(learner, LAST_DAYS) == 3
    assert _scored(learner, "communication-check") == before + 1


def _receipts(user_id: int) -> int:
    from app.learning.models import SubmissionReceipt

    return _rows(select(func.count()).select_from(SubmissionReceipt).where(
        SubmissionReceipt.user_id == user_id))[0][0]  # fmt: skip


def _flush(page) -> None:
    page.evaluate("() => navigator.serviceWorker.controller.postMessage({type: 'flush'})")


def _nothing_waits(page) -> bool:
    return not [item for item in _outbox(page) if item["status"] == "waiting"]


def _start_online(page, quiz: str = "communication-check") -> None:
    page.goto(f"{COURSE}/quizzes/{quiz}")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))


def test_the_same_outbox_sent_twice_stores_nothing_twice(page, sign_in):
    """A quiz answered offline is sent; the outbox is then replayed as it was (every
    entry waiting again, the same keys): the server answers "duplicate", stores nothing."""
    email = "gao.yan@example.org"
    learner = _user_id(email)
    sign_in(email)
    page.goto("/offline")
    _controlled(page)
    _start_online(page)
    page.context.set_offline(True)
    _answer_every_question(page)
    click_and_wait(page, page.locator("#quiz-form button[type=submit]").first)
    assert [item["status"] for item in _outbox(page)] == ["waiting"]
    before, receipts = _scored(learner, "communication-check"), _receipts(learner)

    page.context.set_offline(False)
    _flush(page)
    _until(lambda: _nothing_waits(page))
    assert _scored(learner, "communication-check") == before + 1
    assert _receipts(learner) == receipts + 1
    page.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open("palliare-offline");
          open.onsuccess = () => {
            const tx = open.result.transaction("outbox", "readwrite");
            const store = tx.objectStore("outbox");
            store.getAll().onsuccess = (event) => event.target.result.forEach((item) =>
              store.put(Object.assign(item, {status: "waiting"})));
            tx.oncomplete = () => resolve();
          };
        })"""
    )  # the replay: the same keys again (the body is gone once sent: only the key counts)
    _flush(page)
    _until(lambda: _nothing_waits(page))
    assert [item["status"] for item in _outbox(page)] == ["sent"]
    assert _scored(learner, "communication-check") == before + 1
    assert _receipts(learner) == receipts + 1


def test_with_no_service_worker_a_form_sent_twice_is_stored_once(browser, live_server):
    """WeChat's in-app browser and the like: no service worker, the plain form carries the
    device-made key, and the same form sent again (the browser's "resend") stores once."""
    context = browser.new_context(base_url=live_server, locale="en-GB", service_workers="block")
    page = context.new_page()
    email = "gao.yan@example.org"
    learner = _user_id(email)
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    click_and_wait(page, page.locator("main form button[type=submit]"))
    _start_online(page)
    assert page.evaluate("() => navigator.serviceWorker.controller") is None
    key = page.locator("#quiz-form input[name=submission_key]").input_value()
    assert re.fullmatch(r"[0-9a-f]{32}", key)  # made on the device by app.js
    _answer_every_question(page)
    before, receipts = _scored(learner, "communication-check"), _receipts(learner)
    sent = page.evaluate(
        "() => new URLSearchParams(new FormData(document.getElementById('quiz-form'))).toString()"
    )
    click_and_wait(page, page.locator("#quiz-form button[type=submit]").first)
    first = page.url
    submit = re.search(r"/attempts/\d+", first).group(0) + "/submit"
    again = page.request.post(  # the same body, the same key: "resend" after a lost answer
        live_server + submit,
        data=sent,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert again.ok and again.url == first  # the first answer's page again
    assert _scored(learner, "communication-check") == before + 1
    assert _receipts(learner) == receipts + 1
    context.close()


def test_a_logbook_day_written_offline_and_refused_is_shown_with_the_reason(page, sign_in):
    """The de-identification guard runs when the entry arrives: the device lists it as
    refused, with the server's reason naming the field."""
    from datetime import date, timedelta

    from app.placements.models import Placement

    email = "doctor@example.org"
    doctor = _user_id(email)
    placement = _rows(select(Placement.id).where(Placement.observer_id == doctor))[0][0]
    day = (date.today() - timedelta(days=1)).isoformat()
    sign_in(email)
    page.goto("/offline?lang=en")
    _controlled(page)
    url = f"/placements/{placement}/logbook/{day}"
    page.goto(url)  # opened online: kept for offline writing
    page.context.set_offline(True)
    page.goto(url)
    page.locator("#activities-0-kind").select_option("ward_rounds")
    page.locator("#activities-0-hours").fill("2")
    page.get_by_label("What I saw").fill("Called her daughter on +46 70 123 45 67 after rounds.")
    click_and_wait(page, page.get_by_role("button", name="Submit", exact=True))
    expect(page).to_have_url(re.compile(r"/offline\?queued="))
    expect(page.locator(".outbox-waiting li")).to_have_count(1)

    page.context.set_offline(False)
    page.goto("/offline")
    refused = page.locator(".outbox-refused li")
    expect(refused).to_have_count(1, timeout=20_000)
    expect(refused.locator(".outbox-reason")).to_contain_text("What I saw")
    expect(page.locator(".outbox-waiting li")).to_have_count(0)


def _save_catalog(locale: str, change=None, text: str | None = None) -> str:
    """Save a catalog revision of Foundations in ``locale`` (``text``, or the current one
    made over by ``change(catalog)``) and import the courses, as a translator's upload
    would; returns the text before."""
    import io

    from babel.messages.pofile import read_po, write_po

    from app.i18n import editing
    from app.i18n.revisions import save_revision

    with LIVE["app"].app_context():
        source = editing.course_source("foundations-of-palliative-care")
        before = editing.catalog_text(source, locale)
        if text is None:
            catalog = read_po(io.StringIO(before), locale=locale)
            for message in catalog:
                message.flags.discard("python-format")  # Babel's guess; msgfmt refuses it
            change(catalog)
            out = io.BytesIO()
            write_po(out, catalog, width=0, include_previous=True)
            text = out.getvalue().decode("utf-8")
        # An uploader of its own: the import's notice goes to nobody another test reads.
        translator = db.session.scalar(select(User).where(User.email == UPLOADER))
        translator = translator or make_user(email=UPLOADER, name="Offline test uploader")
        save_revision(translator, source, locale, text)
        db.session.commit()
    return before


def _held_back(locale: str) -> str | None:
    """What the held lesson is shown in, for ``locale``, by the server's rows."""
    from app.courses.models import LessonText

    query = select(LessonText.held_back_to).join(Lesson, Lesson.id == LessonText.lesson_id)
    return _rows(query.where(Lesson.key == HELD, LessonText.locale == locale))[0][0]


def _imported(page, check) -> None:
    """The revision's import is queued: it runs after the next request (as a worker
    would after the commit), never beside another import started here."""
    page.request.get("/healthz")
    _until(check)


def _make_dose_lines_stale(catalog) -> None:
    from app.courses.content.catalogs import CRITICAL_COMMENT

    for message in catalog:
        in_lesson = any(HELD in file for file, _line in message.locations)
        if message.id and in_lesson and CRITICAL_COMMENT in message.auto_comments:
            message.flags.add("fuzzy")  # the source changed: no longer checked


HELD = "breakthrough-pain-and-conversions"
UPLOADER = "offline.uploader@example.org"


def _stored_lesson_lang(page, url: str) -> str | None:
    return page.evaluate(
        """(url) => caches.match(url).then((hit) => hit ? hit.text() : "").then((html) => {
          const found = html.match(/<article class="lesson" lang="([^"]+)"/);
          return found ? found[1] : null;
        })""",
        url,
    )


def test_a_lesson_held_back_for_a_stale_dose_line_is_not_served_stale(page, sign_in):
    """Stored in Chinese; the lesson's dose lines become stale on the server (a catalog
    revision): after the next connection the device has the English lesson, offline too."""
    sign_in("gao.yan@example.org")  # reads in Chinese
    _download(page)
    lesson = f"{COURSE}/lessons/{HELD}"
    assert _stored_lesson_lang(page, lesson) == "zh-Hans"
    original = _save_catalog("zh_Hans", _make_dose_lines_stale)
    try:
        _imported(page, lambda: _held_back("zh_Hans") == "en")
        page.goto("/offline")  # back online: the sync refreshes the stored course
        _until(lambda: _stored_lesson_lang(page, lesson) == "en")
        page.context.set_offline(True)
        page.goto(lesson)
        expect(page.locator("article.lesson")).to_have_attribute("lang", "en")
        expect(page.locator(".note.untranslated")).to_be_visible()
    finally:
        page.context.set_offline(False)
        _save_catalog("zh_Hans", text=original)  # as it was, for the tests that follow
        _imported(page, lambda: _held_back("zh_Hans") is None)


def _course_caches(page) -> list[str]:
    return page.evaluate(
        "() => caches.keys().then((names) => names.filter((n) => n.startsWith('palliare-course-')))"
    )


def _stored_courses(page) -> list[dict]:
    return page.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open("palliare-offline");
          open.onsuccess = () => {
            const all = open.result.transaction("courses").objectStore("courses").getAll();
            all.onsuccess = () => resolve(all.result);
          };
        })"""
    )


def test_a_shared_phone_sends_each_persons_forms_in_their_own_session(page, sign_in):
    """A (askar) stores Foundations and completes a lesson offline; A's session ends
    before the device is back online (the worker cannot send); the page after sign-out
    deletes A's stored pages. B (sun.li) signs in: A's form waits, "for another account",
    and B is credited nothing. A signs in again: it is sent, once."""
    a_email, b_email = "askar.beken@example.org", "sun.li@example.org"
    a, b = _user_id(a_email), _user_id(b_email)
    lesson = LAST_DAYS[2]
    sign_in(a_email)
    _download(page)
    assert _stored_courses(page)[0]["owner"] == str(a)
    page.context.set_offline(True)
    page.goto(f"{COURSE}/lessons/{lesson}")
    click_and_wait(page, page.locator("form[action$='/complete'] button"))
    assert [item["owner"] for item in _outbox(page)] == [str(a)]
    # A signs out while the device is still offline, so the worker cannot send first
    # (page.request is not subject to the page's offline mode).
    token = page.request.get("/offline/token").json()
    assert token["user"] == str(a)
    out = page.request.post("/logout", form={"csrf_token": token["csrf_token"]}, max_redirects=0)
    assert out.status == 302
    page.context.set_offline(False)
    page.goto("/login")  # the page after sign-out: the device forgets A's pages
    _until(lambda: not _course_caches(page) and not _stored_courses(page))
    assert [item["status"] for item in _outbox(page)] == ["waiting"]  # A's form stays

    sign_in(b_email)
    _until(lambda: _outbox(page)[0].get("note") == "other_account")
    page.goto("/offline")
    waiting = page.locator(".outbox-waiting li")
    expect(waiting).to_have_count(1)
    expect(waiting.locator(".outbox-other")).to_be_visible()
    expect(page.locator(".offline-no-courses")).to_be_visible()  # A's course is not B's
    status = page.locator("#sync-status")
    expect(status).to_contain_text(status.get_attribute("data-other-account").replace("{n}", "1"))
    assert _completed(b, [lesson]) == 0 and _completed(a, [lesson]) == 0
    page.context.set_offline(True)
    page.goto(f"{COURSE}/lessons/{lesson}")  # not stored for B: the "On this device" page
    expect(page.locator(".offline-missing")).to_be_visible()
    page.context.set_offline(False)

    page.goto("/offline")
    click_and_wait(page, page.locator("#site-menu form[action$='/logout'] button"))
    sign_in(a_email)
    _until(lambda: _completed(a, [lesson]) == 1)
    _until(lambda: _nothing_waits(page))
    time.sleep(1)
    assert _completed(a, [lesson]) == 1 and _completed(b, [lesson]) == 0
    assert [item["status"] for item in _outbox(page)] == ["sent"]
