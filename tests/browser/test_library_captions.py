"""A library video at 360 px in Chinese (issue 19): the demo's "What palliative care is
and is not" plays, its Chinese caption track is the default, and the cue reworded in
English after its Chinese translation shows in English (marked ``<lang en>``) while the
others are Chinese. No account: the visitor is signed out."""

import re

import pytest

from app.demo.library_texts import WHAT_IT_IS
from tests.browser.helpers import assert_fits

pytestmark = pytest.mark.browser
WIDTH = 360
STALE = next(line.en for slide in WHAT_IT_IS.slides for line in slide.said if line.earlier)

# The default track, once its cues are loaded: its language, label, mode and cue texts.
SHOWING_TRACK = """async () => {
  const element = [...document.querySelectorAll("video track")].find((t) => t.default);
  if (!element) return null;
  if (element.readyState !== 2) {
    await new Promise((done, failed) => {
      element.addEventListener("load", done, { once: true });
      element.addEventListener("error", failed, { once: true });
      setTimeout(done, 5000);
    });
  }
  const track = element.track;
  return {
    srclang: element.srclang,
    label: element.label,
    mode: track.mode,
    cues: [...(track.cues || [])].map((cue) => cue.text),
  };
}"""

# Play (muted: no gesture is needed) and report how far it got.
PLAY = """async () => {
  const video = document.querySelector("video");
  video.muted = true;
  try { await video.play(); } catch (error) { return { error: String(error) }; }
  await new Promise((done) => setTimeout(done, 1500));
  return { time: video.currentTime, ready: video.readyState, paused: video.paused };
}"""


def test_a_video_plays_in_chinese_with_its_stale_cue_in_english(page):
    page.set_viewport_size({"width": WIDTH, "height": 740})
    page.goto(f"/library/{WHAT_IT_IS.slug}?lang=zh_Hans")
    assert_fits(page, WIDTH)
    assert WHAT_IT_IS.title.zh_Hans in page.locator("h1").inner_text()

    track = page.evaluate(SHOWING_TRACK)
    assert track is not None, "no default caption track"
    assert track["srclang"] == "zh-Hans"  # Track.srclang
    assert track["mode"] == "showing"
    assert "中文" in track["label"] and track["label"] != "中文 (简体)"  # marked partial
    plain = [re.sub(r"</?[^>]+>", "", text) for text in track["cues"]]
    assert STALE in plain
    assert f"<lang en>{STALE}</lang>" in track["cues"]
    others = [text for text in plain if text != STALE]
    assert others and all(not text.isascii() for text in others), others

    played = page.evaluate(PLAY)
    assert "error" not in played, played
    assert played["time"] > 0 or played["ready"] >= 2, played

    # The same file as the page's track, fetched as a player would: no cookie set.
    response = page.request.get(f"/library/{WHAT_IT_IS.slug}/captions/zh_Hans.vtt")
    assert response.ok and response.headers["content-type"] == "text/vtt; charset=utf-8"
    assert "set-cookie" not in response.headers
