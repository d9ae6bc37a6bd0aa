"""The catalog: the courses for the learner's profession, with their progress, and the
courses' cover pictures. A course's own pages (the course, its lessons, enrolling,
completing) are in ``app/study/``."""

from pathlib import Path

from flask import abort, current_app, render_template, request, send_from_directory
from flask_babel import get_locale
from flask_login import current_user

from app.auth.policies import SIGNED_IN, allow
from app.courses import bp, queries
from app.courses.identity import COVER_FOLDER


@bp.route("/")
@allow(SIGNED_IN)
def catalog():
    """Courses for the learner's profession (or all of them with ?audience=all)."""
    show_all = request.args.get("audience") == "all"
    profession = None if show_all else current_user.profession.value
    entries = queries.list_catalog(current_user, profession)
    return render_template(
        "courses/catalog.html", entries=entries, show_all=show_all, locale=str(get_locale())
    )


@bp.route("/<course_key>/cover")
@allow(SIGNED_IN)
def cover(course_key: str):
    """A course's cover picture (checked by the loader): the catalog shows every course's
    card to anyone signed in, so its picture is theirs to see too, unlike its files."""
    course = queries.get_course(course_key)
    if course is None or not course.cover:
        abort(404)
    folder = Path(current_app.config["COURSES_DIR"]) / course.key / COVER_FOLDER
    return send_from_directory(folder, course.cover, max_age=86400)
