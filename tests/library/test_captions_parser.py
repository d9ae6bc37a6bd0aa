"""The strict WebVTT reader: a good file, each refusal on its line, and the writer's
output read back."""

import pytest

from app.library import captions
from app.library.captions import CaptionProblems, Cue, format_time, format_vtt, parse_vtt

GOOD = """\ufeffWEBVTT - English captions
Kind: captions

NOTE written by the programme

STYLE
::cue { color: yellow }

intro
00:00:00.500 --> 00:00:02.000 align:start line:90%
<v Narrator>Palliative care</v> is
<i>not</i> only for the last days.

00:02.000 --> 00:00:04.250
Fish &amp; chips, pain&nbsp;relief.

01:00:00.000 --> 01:00:01.000
Late.
"""


def _problems(text: str, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(CaptionProblems) as refused:
        parse_vtt(text.encode("utf-8"), **kwargs)
    return [(problem.line, problem.message) for problem in refused.value.problems]


def test_a_good_file_gives_its_cues_in_plain_text():
    assert parse_vtt(GOOD.replace("\n", "\r\n").encode("utf-8")) == [
        Cue(500, 2000, "Palliative care is not only for the last days."),
        Cue(2000, 4250, "Fish & chips, pain relief."),
        Cue(3600000, 3601000, "Late."),
    ]


def test_times_are_written_with_hours():
    assert format_time(0) == "00:00:00.000"
    assert format_time(3723004) == "01:02:03.004"


def test_written_tracks_are_read_back_the_same():
    cues = [Cue(0, 1500, "Pain <7> & fear"), Cue(1500, 62000, "Не бойтесь спрашивать.")]
    text = format_vtt(cues)
    assert text.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nPain &lt;7&gt; &amp; fear")
    # "<" decoded from &lt; is markup to the reader: the writer's escapes are for players
    assert parse_vtt(format_vtt(cues[1:]).encode()) == cues[1:]
    fallback = format_vtt(cues[1:], {0: "en"})
    assert "<lang en>Не бойтесь спрашивать.</lang>" in fallback
    assert parse_vtt(fallback.encode()) == cues[1:]


def test_a_file_without_the_header_is_refused_on_line_1():
    assert _problems("00:00.000 --> 00:01.000\nHello\n") == [
        (1, "Line 1: a WebVTT file starts with the line “WEBVTT”.")
    ]


def test_a_file_that_is_not_utf8_is_refused_with_its_line():
    with pytest.raises(CaptionProblems) as refused:
        parse_vtt("WEBVTT\n\n00:00.000 --> 00:01.000\nCafé\n".encode("latin-1"))
    assert refused.value.problems[0].line == 4
    assert "UTF-8" in refused.value.problems[0].message


def test_every_problem_is_listed_with_its_line():
    text = (
        "WEBVTT\n"  # 1
        "\n"
        "00:00:01,000 --> 00:00:02,000\n"  # 3: SRT's comma
        "Broken timing\n"
        "\n"
        "two\n"  # 6
        "00:00:05.000 --> 00:00:04.000\n"  # 7: ends before it starts
        "Backwards\n"
        "\n"
        "00:00:06.000 --> 00:00:08.000\n"  # 10
        "<script>alert(1)</script>\n"  # 11
        "\n"
        "00:00:09.000 --> 00:00:10.000\n"  # 13: no text
        "\n"
        "00:00:09.500 --> 00:00:12.000\n"  # 15: starts before 13 ends
        "Early\n"
        "\n"
        "00:00:11.000 --> 00:00:13.000\n"  # 18: starts before 15 ends
        "Overlap\n"
        "\n"
        "00:00:13.000 --> 00:00:21.000\n"  # 21: after the video's 20 s
        '<a href="https://example.org">link</a>\n'  # 22
    )
    found = _problems(text, duration_ms=20000)
    lines = [line for line, _message in found]
    assert lines == [3, 7, 11, 13, 15, 18, 21, 22]
    messages = dict(found)
    assert "00:00:01.000 --> 00:00:04.000" in messages[3]
    assert "ends before it starts" in messages[7]
    assert "HTML" in messages[11] and "HTML" in messages[22]
    assert "no text" in messages[13]
    assert "must be in order" in messages[18]
    assert "after the video (00:00:20.000)" in messages[21]


def test_a_cue_out_of_order_is_refused():
    found = _problems("WEBVTT\n\n00:05.000 --> 00:06.000\nB\n\n00:01.000 --> 00:02.000\nA\n")
    assert [line for line, _m in found] == [6]


def test_a_cue_needs_a_blank_line_after_the_header():
    assert [line for line, _m in _problems("WEBVTT\n00:00.000 --> 00:01.000\nHi\n")] == [2]


def test_an_empty_file_and_too_many_cues_are_refused():
    assert _problems("WEBVTT\n") == [(0, "The file has no cues.")]
    many = "WEBVTT\n\n" + "".join(
        f"{format_time(i * 1000)} --> {format_time(i * 1000 + 500)}\nCue {i}\n\n" for i in range(4)
    )
    assert len(parse_vtt(many.encode(), max_cues=4)) == 4
    assert "at most 3" in _problems(many, max_cues=3)[0][1]


def test_a_too_large_file_is_refused_before_reading():
    data = b"WEBVTT\n\n" + b"x" * (captions.MAX_FILE_BYTES + 1)
    with pytest.raises(CaptionProblems) as refused:
        parse_vtt(data)
    assert "larger than" in refused.value.problems[0].message
