"""The demo learner takes a quiz, fails, waits, passes, and gets a verifiable certificate.

It runs on the small quiz course of the fixtures (one lesson; the "check" quiz has three
true-false questions and a pass mark of 100%), with waiting times shortened 300 times.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import all_of, assert_fits, click_and_wait

pytestmark = pytest.mark.browser

COURSE = "/courses/quiz-course"
RIGHT = {
    "Palliative care can start at diagnosis.": "True",
    "The WHO three-step ladder is current WHO policy.": "False",
    "Everyone starting a strong opioid needs a regular laxative.": "True",
}


def _fits_a_phone(page) -> None:
    assert_fits(page, 360)


def _answer(page, right: bool) -> None:
    """Answer every question of the open attempt (all right, or all "False"), submit,
    and wait for the result page."""
    for question in all_of(page.locator("fieldset.question"), len(RIGHT)):
        stem = question.locator(".stem").inner_text().strip()
        label = RIGHT[stem] if right else "False"
        question.get_by_label(label, exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Submit answers"))
    expect(page.locator(".score")).to_be_visible()


def _start_when_allowed(page, within: float = 15.0) -> None:
    """Reload the quiz page until the waiting time is over, then start an attempt."""
    start = page.get_by_role("button", name="Start")
    deadline = time.monotonic() + within
    while not start.is_visible() and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        page.reload()
    click_and_wait(page, start)


def test_fail_wait_pass_certificate_and_verification(page, sign_in):
    """The whole path from enrolment to a certificate that anyone can verify, on a phone."""
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in("learner@example.org")
    page.goto(f"{COURSE}?lang=en")
    page.get_by_role("button", name="Enrol and start").click()
    expect(page).to_have_url(re.compile(r"/quizzes/knowledge$"))  # the pre-test comes first
    page.get_by_role("button", name="Start").click()
    page.once("dialog", lambda dialog: dialog.accept())  # "Questions without an answer: …"
    page.get_by_role("button", name="Submit answers").click()  # nothing known yet
    expect(page.locator(".score")).to_contain_text("pre-test recorded")

    page.goto(f"{COURSE}/lessons/reading")
    click_and_wait(page, page.get_by_role("button", name="Mark as complete"))

    page.goto(f"{COURSE}/quizzes/check")
    click_and_wait(page, page.get_by_role("button", name="Start"))
    expect(page.locator("fieldset.question")).to_have_count(len(RIGHT))
    _fits_a_phone(page)
    _answer(page, right=False)
    _fits_a_phone(page)
    expect(page.locator(".score")).to_contain_text("not passed")
    # a graded check keeps its answers until passed or out of attempts (issue 16)
    expect(page.locator(".rationale")).to_have_count(0)
    expect(page.locator(".quiz-review-note")).to_contain_text("once you pass")

    page.goto(f"{COURSE}/quizzes/check")
    expect(page.locator("main")).to_contain_text("You can try again later")
    _start_when_allowed(page)  # after the shortened waiting time (1 s)
    _answer(page, right=True)
    expect(page.locator(".score")).to_contain_text("passed")
    expect(page.locator(".flashes")).to_contain_text("You completed the course")
    expect(page.locator(".rationale").first).to_be_visible()  # passed: the answers and why

    page.goto("/certificates/")
    click_and_wait(page, page.locator("main h2 a").first)
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    _fits_a_phone(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.get_by_role("link", name="Verification page").click()
    expect(page.locator("main")).to_contain_text("Valid")
    expect(page.locator("main")).to_contain_text("Quiz course")


# Two learners of the demo who never meet the quiz course otherwise.
WIDTHS = [(360, "ma.jun@example.org"), (1280, "erik.nilsson@example.org")]


@pytest.mark.parametrize("width, email", WIDTHS)
def test_countdown_unanswered_warning_and_review_setting(page, sign_in, width, email):
    """A timed attempt counts down; submitting with blank questions asks first (cancel
    keeps the attempt open); a failed graded check shows no answers yet."""
    page.set_viewport_size({"width": width, "height": 740})
    sign_in(email)
    page.goto(f"{COURSE}?lang=en")
    click_and_wait(page, page.get_by_role("button", name="Enrol and start"))

    page.goto(f"{COURSE}/quizzes/check")
    click_and_wait(page, page.get_by_role("button", name="Start"))
    clock = page.locator("#quiz-timer-clock")
    expect(clock).to_be_visible()
    expect(clock).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=3000)  # ticking
    expect(page.locator("#quiz-timer-live")).to_have_text("")  # no announcement each second
    assert_fits(page, width)

    questions = all_of(page.locator("fieldset.question"), len(RIGHT))
    questions[0].get_by_label("False", exact=True).check()  # one answered, two blank
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator("fieldset.question input:focus")).to_have_count(1)  # back to a blank
    assert asked == ["Questions without an answer: 2, 3. Submit anyway?"]
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))  # still the open attempt

    page.once("dialog", lambda dialog: dialog.accept())
    click_and_wait(page, page.get_by_role("button", name="Submit answers"))
    expect(page.locator(".score")).to_contain_text("not passed")
    expect(page.locator(".rationale")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("correct answer")
    expect(page.locator(".quiz-review-note")).to_contain_text(
        "shown once you pass or use your last attempt"
    )
    assert_fits(page, width)
