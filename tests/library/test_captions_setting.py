"""Setting a video's captions from a file: replaced in one go, refused whole."""

import pytest

from app.auth.models import Role
from app.exceptions import PermissionDenied
from app.library import captions
from app.library.captions import CaptionProblems, Cue
from tests.factories import make_user
from tests.library.caption_fixtures import make_video

FILE = b"""WEBVTT

00:00.000 --> 00:01.000
One.

00:01.000 --> 00:02.000
Two.
"""


def _rows(video):
    return [(cue.position, cue.start_ms, cue.end_ms, cue.text) for cue in video.cues]


def test_an_administrator_replaces_the_cues(db):
    video = make_video()
    captions.set_captions(make_user([Role.ADMIN]), video, FILE)
    db.session.expire_all()
    assert _rows(video) == [(1, 0, 1000, "One."), (2, 1000, 2000, "Two.")]


def test_more_cues_than_before_are_added_at_new_positions(db):
    video = make_video(cues=[Cue(0, 500, "Only.")])
    captions.set_captions(make_user([Role.ADMIN]), video, FILE)
    db.session.expire_all()
    assert [row[0] for row in _rows(video)] == [1, 2]


def test_a_refused_file_leaves_the_cues_as_they_were(db):
    video = make_video()
    before = _rows(video)
    with pytest.raises(CaptionProblems):
        captions.set_captions(make_user([Role.ADMIN]), video, FILE.replace(b"Two.", b"<p>x</p>"))
    db.session.expire_all()
    assert _rows(video) == before


def test_cues_after_the_end_of_the_video_are_refused(db):
    video = make_video(duration_seconds=1.5)
    with pytest.raises(CaptionProblems) as refused:
        captions.set_captions(make_user([Role.ADMIN]), video, FILE)
    assert [problem.line for problem in refused.value.problems] == [6]


@pytest.mark.parametrize("role", [Role.TRAINER, Role.LEARNER])
def test_only_an_administrator_sets_captions(db, role):
    video = make_video()
    with pytest.raises(PermissionDenied):
        captions.set_captions(make_user([role]), video, FILE)
