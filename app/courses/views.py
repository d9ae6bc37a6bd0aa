"""The catalog: the courses for the learner's profession, with their progress. A course's
own pages (the course, its lessons, enrolling, completing) are in ``app/study/``."""

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user

from app.auth.policies import SIGNED_IN, allow
from app.courses import bp, queries


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
