"""A course's colour, icon and cover: checked by the loader (file and field named),
stored by the importer, shown on the catalog's cards, the cover served to the signed in."""

import re
import shutil
from pathlib import Path

import pytest

from app.courses.content.loader import load_courses
from app.courses.identity import COVER_MAX_BYTES, ICONS, PALETTE
from app.courses.importer import import_courses
from app.courses.queries import get_course
from app.extensions import db
from config import Config
from tests.conftest import FIXTURE_COURSES
from tests.factories import make_user
from tests.helpers import text_of

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _card_backgrounds() -> dict[str, tuple[str, str]]:
    """The page and card backgrounds (--bg, --bg-soft) of app.css's light and dark
    palettes, read from the stylesheet so the contrast check follows it."""
    css = (ROOT / "app/static/css/app.css").read_text()
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)

    def colours(block):
        found = dict(re.findall(r"--(bg|bg-soft):\s*(#[0-9a-fA-F]{3,6})", block))
        return tuple(_six_digits(found[name]) for name in ("bg", "bg-soft"))

    return {"light": colours(light), "dark": colours(dark)}


def _six_digits(colour: str) -> str:
    digits = colour.lstrip("#")
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


CARD_BACKGROUNDS = _card_backgrounds()


@pytest.fixture
def course_dir(tmp_path) -> Path:
    shutil.copytree(FIXTURE_COURSES / "sample-course", tmp_path / "sample-course")
    return tmp_path / "sample-course"


def _set(course_dir: Path, lines: str) -> None:
    """Set the keys of ``lines`` at the end of the course's course.yaml (replacing any
    line that already sets one of them)."""
    path = course_dir / "course.yaml"
    keys = tuple(f"{line.split(':')[0]}:" for line in lines.splitlines())
    kept = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(keys)
    ]
    path.write_text("\n".join(kept) + "\n" + lines, encoding="utf-8")


def _with(course_dir: Path, lines: str) -> list[str]:
    """The problems of the sample course with ``lines`` set in its course.yaml."""
    _set(course_dir, lines)
    return [str(p) for p in load_courses(course_dir.parent, Config.LANGUAGES)[1]]


def test_a_palette_colour_an_icon_and_a_cover_are_accepted(course_dir):
    (course_dir / "files" / "cover.png").write_bytes(PNG)
    assert _with(course_dir, "colour: plum\nicon: chat\ncover: files/cover.png\n") == []
    course = load_courses(course_dir.parent, Config.LANGUAGES)[0][0]
    assert (course.colour, course.icon, course.cover) == ("plum", "chat", "files/cover.png")


@pytest.mark.parametrize(
    "lines, expected",
    [
        ("colour: purple\n", "colour must be one of: amber, blue, green, plum, rose, slate, teal"),
        ('colour: "#0b5d5b"\n', "colour '#0b5d5b': name one of the palette"),
        ("icon: rocket\n", "icon must be one of: book, chat, heart, home, pill, users"),
        ("cover: cover.png\n", "cover names a picture in the course's files/ folder"),
        ("cover: files/missing.png\n", "cover 'files/missing.png' does not exist"),
        ("cover: files/diary.txt\n", "cover 'files/diary.txt': a file directly in files/"),
        ("cover: files/../course.yaml\n", "a file directly in files/"),
        ("cover: files/fake.png\n", "cover 'files/fake.png' is not a PNG picture"),
        ("cover: files/huge.jpg\n", f"larger than {COVER_MAX_BYTES // 1024} KB"),
    ],
)
def test_a_bad_identity_names_the_file_and_the_field(course_dir, lines, expected):
    (course_dir / "files" / "fake.png").write_bytes(b"GIF89a not a png")
    (course_dir / "files" / "huge.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * COVER_MAX_BYTES)
    problems = _with(course_dir, lines)
    line = len((course_dir / "course.yaml").read_text(encoding="utf-8").splitlines())
    assert any(
        p.startswith(f"sample-course/course.yaml:{line}: ") and expected in p for p in problems
    ), problems


def test_every_real_course_names_a_colour_and_an_icon():
    courses, problems = load_courses(ROOT / "courses", Config.LANGUAGES)
    assert problems == []
    assert len(courses) == 4
    assert all(c.colour in PALETTE and c.icon in ICONS for c in courses)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("name", sorted(PALETTE))
def test_each_palette_colour_meets_aa_on_cards_in_light_and_dark_mode(name):
    light, dark = PALETTE[name]
    assert all(contrast(light, bg) >= 4.5 for bg in CARD_BACKGROUNDS["light"]), name
    assert all(contrast(dark, bg) >= 4.5 for bg in CARD_BACKGROUNDS["dark"]), name


def test_the_stylesheet_holds_the_palette_and_the_sprite_the_icons():
    css = (ROOT / "app" / "static" / "css" / "app.css").read_text(encoding="utf-8")
    found = re.findall(r"\.tint-(\w+) \{ --tint: (#[0-9a-f]{6}); \}", css)
    light = dict(found[: len(PALETTE)])
    dark = dict(found[len(PALETTE) :])
    assert light == {name: values[0] for name, values in PALETTE.items()}
    assert dark == {name: values[1] for name, values in PALETTE.items()}
    sprite = (ROOT / "app" / "static" / "img" / "course-icons.svg").read_text(encoding="utf-8")
    assert set(re.findall(r'<symbol id="(\w+)"', sprite)) == set(ICONS)


@pytest.fixture
def course_with_cover(app, tmp_path):
    """The sample course with a colour, an icon and a cover, imported."""
    folder = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES / "sample-course", folder / "sample-course")
    course_dir = folder / "sample-course"
    (course_dir / "files" / "cover.png").write_bytes(PNG)
    _set(course_dir, "colour: rose\nicon: pill\ncover: files/cover.png\n")
    previous = app.config["COURSES_DIR"]
    app.config["COURSES_DIR"] = str(folder)
    import_courses(folder)
    db.session.commit()
    yield get_course("sample-course")
    app.config["COURSES_DIR"] = previous


def test_the_importer_stores_the_identity_and_the_catalog_shows_it(
    course_with_cover, client, login
):
    assert (course_with_cover.colour, course_with_cover.icon) == ("rose", "pill")
    assert course_with_cover.cover == "cover.png"
    login(make_user())
    html = text_of(client.get("/courses/?audience=all"))
    assert 'class="card course-card tint-rose"' in html
    assert "course-icons.svg" in html and "#pill" in html
    assert 'src="/courses/sample-course/cover"' in html
    assert "style=" not in html  # the CSP forbids inline styles


def test_the_cover_is_served_to_the_signed_in_only(course_with_cover, client, login):
    assert client.get("/courses/sample-course/cover").status_code in (302, 401)
    login(make_user())
    response = client.get("/courses/sample-course/cover")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert client.get("/courses/no-such-course/cover").status_code == 404


def test_a_course_without_a_cover_has_no_cover_address(quiz_course, client, login):
    login(make_user())
    assert quiz_course.cover is None
    assert client.get("/courses/quiz-course/cover").status_code == 404


def test_every_stylesheet_and_script_stay_under_30_kb_gzipped():
    """The page budget: the palette and the cards add little to app.css."""
    import gzip

    static = ROOT / "app" / "static"
    files = [*static.rglob("*.css"), *static.rglob("*.js")]
    assert sum(len(gzip.compress(path.read_bytes())) for path in files) < 30 * 1024
