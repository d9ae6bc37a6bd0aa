"""Downloading Foundations for offline use over a 400 kbit/s link, per language.

A live server on a throw-away SQLite database (the real courses, one enrolled learner who
took the pre-test); Debian's Chromium with the page throttled through CDP
(Network.emulateNetworkConditions: 400 kbit/s down and up, 150 ms latency). The
download runs in the page (offline.js, "Make available offline"), so it is throttled.
Prints, per language: pages stored, bytes stored (as served; the development server
does not compress), the same gzip-compressed (what nginx would send), and seconds.
"""

import random
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from common import ROOT, fresh_app
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app.auth.models import Profession, RoleAssignment, User
from app.auth.passwords import hash_password
from app.courses.importer import import_courses
from app.courses.queries import get_course
from app.db_types import utcnow
from app.demo.learning import _take
from app.extensions import db
from app.learning.enrolment import enrol_learner

COURSE = "foundations-of-palliative-care"
LANGUAGES = ["en", "zh_Hans", "ru", "kk", "sv"]
KBITS = 400
EMAIL, PASSWORD = "offline.bench@example.org", "palliare-bench"
CHROMIUM = Path("/usr/bin/chromium")

# Every stored page and file of the course, and their sizes as gzip would send them.
SIZES = """async () => {
  const cache = await caches.open("palliare-course-foundations-of-palliative-care");
  let raw = 0, gz = 0, pages = 0;
  for (const request of await cache.keys()) {
    const body = await (await cache.match(request)).arrayBuffer();
    const packed = new Response(new Blob([body]).stream().pipeThrough(new CompressionStream("gzip")));
    raw += body.byteLength; gz += (await packed.arrayBuffer()).byteLength; pages += 1;
  }
  return [pages, raw, gz];
}"""


def populate(app) -> None:
    """The courses and one nurse enrolled in Foundations, pre-test taken."""
    with app.app_context():
        import_courses(Path(app.config["COURSES_DIR"]))
        user = User(
            email=EMAIL,
            name="Offline Bench",
            password_hash=hash_password(PASSWORD),
            profession=Profession.NURSE,
            active=True,
            session_version=1,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add(RoleAssignment(user_id=user.id, role="learner"))
        course = get_course(COURSE)
        enrolment = enrol_learner(user, course)
        _take(user, course, enrolment, course.pre_test_key, 0.5, utcnow() - timedelta(days=2),
              random.Random(1))  # fmt: skip
        db.session.commit()


def download(browser, base: str, lang: str) -> tuple[int, int, int, float]:
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(f"/courses/{COURSE}?lang={lang}")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # controlled by the service worker, and the manifest read unthrottled
    button = page.locator("#offline-panel .offline-download")
    button.wait_for()
    page.wait_for_function(
        "() => !document.querySelector('#offline-panel .offline-download').disabled"
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = KBITS * 1000 / 8  # bytes per second
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": rate, "uploadThroughput": rate},
    )
    done = page.locator("#offline-panel").get_attribute("data-done")
    start = time.perf_counter()
    button.click()
    page.locator("#offline-panel .offline-state").filter(has_text=done).wait_for(timeout=600_000)
    seconds = time.perf_counter() - start
    pages, raw, gz = page.evaluate(SIZES)
    context.close()
    return pages, raw, gz, seconds


def main() -> None:
    if not CHROMIUM.exists():
        print(f"offline download: skipped ({CHROMIUM} missing)")
        return
    app, _folder = fresh_app(COURSES_DIR=str(ROOT / "courses"))
    populate(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    print(f"Foundations made available offline at {KBITS} kbit/s (150 ms latency), per language:")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for lang in LANGUAGES:
            pages, raw, gz, seconds = download(browser, base, lang)
            print(
                f"  {lang:8} {pages:3d} entries  {raw / 1000:7.1f} kB stored  "
                f"{gz / 1000:6.1f} kB gzipped  {seconds:6.1f} s"
            )
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
