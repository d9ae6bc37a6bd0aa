"""Offline learning's addresses: the service worker and the web app manifest (public,
at the site root), a fresh CSRF token for the outbox, a course's offline manifest and
the "On this device" page."""

from pathlib import Path

from flask import abort, current_app, jsonify, render_template, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.auth.permissions import load_or_404
from app.auth.policies import PUBLIC, SIGNED_IN, allow
from app.courses.models import Course
from app.offline import bp
from app.offline.manifest import build_manifest
from app.offline.webmanifest import web_app_manifest
from app.outbox import json_when_signed_out


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sw.js")
@allow(PUBLIC)
def service_worker():
    """The service worker, from the root so that its scope is the whole site; checked
    for a new version on every visit (no-cache), never from a stale copy."""
    path = Path(current_app.static_folder) / "js" / "sw.js"
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="text/javascript", max_age=0, conditional=True)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/manifest.webmanifest")
@allow(PUBLIC)
def webmanifest():
    """The web app manifest (installing Palliare), in the visitor's language."""
    response = jsonify(web_app_manifest())
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline/token")
@allow(SIGNED_IN)
@json_when_signed_out
def token():
    """A fresh CSRF token for the forms a device sends from its outbox, and whose
    session it is (``user``): a shared device sends only that person's forms."""
    return _no_store(jsonify(csrf_token=generate_csrf(), user=str(current_user.id)))


@bp.route("/courses/<course_key>/offline.json")
@allow(SIGNED_IN)
@json_when_signed_out
def course_manifest(course_key: str):
    """What a device stores to take ``course_key`` offline (writes nothing)."""
    course = load_or_404(Course, course_key)
    manifest = build_manifest(current_user, course, str(get_locale()))
    return _no_store(jsonify(manifest.as_json()))


@bp.route("/offline")
@allow(SIGNED_IN)
def device():
    """What this device keeps: stored courses and the outbox (filled in by offline.js
    from the device's own storage)."""
    return render_template("offline/device.html", title=_("On this device"))
