"""The adoption page of a protocol (``/protocols/<slug>/adoption``: a coordinator records
which published version their institution adopted) and ``/protocols/<slug>/current``,
where lessons link: the version adopted at the reader's institution, else the latest."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError

from app.auth.models import User
from app.auth.policies import COORDINATORS, SIGNED_IN, allow
from app.errors import render_error
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution
from app.protocols import adoption, bp, links
from app.protocols import adoption_queries as queries
from app.protocols.adoption_access import adopting_institution_ids
from app.protocols.panels import version_panels
from app.protocols.rendering import render_version
from app.protocols.translation_queries import get_version

# The version page (the writing part's); /current falls back to its own plain rendering
# of the version when no such endpoint is registered.
VERSION_ENDPOINT = "protocols.version"


class NoProtocol(Exception):
    """No published protocol has this slug (answered with a 404 that says so)."""


def _published_protocol(slug: str):
    protocol = queries.get_protocol(slug)
    versions = queries.list_published(protocol.id) if protocol else []
    if not versions:
        raise NoProtocol(slug)
    return protocol, versions


@bp.errorhandler(NoProtocol)
def no_protocol(error: NoProtocol):
    message = _("No published protocol is called “%(slug)s” (yet).", slug=error.args[0])
    return render_error(404, message)


@bp.route("/protocols/<slug>/current")
@allow(SIGNED_IN)
def current(slug: str):
    """The version the reader's institution adopted, else the latest published one."""
    protocol, versions = _published_protocol(slug)
    version = links.version_for_reader(protocol, versions, current_user)
    try:
        target = url_for(VERSION_ENDPOINT, slug=slug, number=version.number)
    except BuildError:
        return _plain_version(protocol, version)
    return redirect(target)


def _plain_version(protocol, version):
    """The version and its panels, while no version page is registered."""
    shown = render_version(version, str(get_locale()))
    panels = [
        Markup(render_template(name, **context))
        for name, context in version_panels(version, current_user)
    ]
    return render_template(
        "protocols/adoption_current.html",
        protocol=protocol,
        version=version,
        shown=shown,
        panels=panels,
    )


@bp.route("/protocols/<slug>/adoption", methods=["GET", "POST"])
@allow(COORDINATORS)
def adoption_page(slug: str):
    """Record (or replace) one's institution's adoption; the adoptions recorded."""
    protocol, versions = _published_protocol(slug)
    institutions = queries.list_institutions(adopting_institution_ids(current_user))
    if not institutions:
        abort(403)
    if request.method == "GET":
        return _page(protocol, versions, institutions)
    form = request.form
    try:
        recorded = adoption.record_adoption(
            current_user,
            _institution(form.get("institution", type=int)),
            _version(form.get("version", type=int), protocol),
            _date(form.get("adopted_on", "")),
            db.session.get(User, form.get("contact", type=int) or 0),
        )
    except ValidationFailed as error:
        return _page(protocol, versions, institutions, error=str(error), status=400)
    except PermissionDenied as error:
        return _page(protocol, versions, institutions, error=str(error), status=403)
    db.session.commit()
    flash(
        _(
            "%(institution)s adopted version %(number)s.",
            institution=recorded.institution.name,
            number=recorded.version.number,
        ),
        "success",
    )
    return redirect(url_for("protocols.adoption_page", slug=slug), 303)


def _institution(institution_id) -> Institution:
    """The chosen institution; one the person may not record for is refused (403)."""
    found = db.session.get(Institution, institution_id or 0)
    if found is None:
        raise ValidationFailed(_("Choose the institution that adopted it."), "institution")
    return found


def _version(version_id, protocol):
    version = get_version(version_id or 0)
    if version is None or version.protocol_id != protocol.id:
        raise ValidationFailed(_("Choose a version of this protocol."), "version")
    return version


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            _("Give the date as YYYY-MM-DD, e.g. 2026-03-01."), "adopted_on"
        ) from None


def _page(protocol, versions, institutions, error=None, status=200):
    ids = {institution.id for institution in institutions}
    adoptions = [a for a in queries.list_adoptions(protocol.id) if a.institution_id in ids]
    members = queries.list_members(sorted(ids))
    page = render_template(
        "protocols/adoption.html",
        protocol=protocol,
        versions=versions,
        latest=versions[0],
        institutions=institutions,
        adoptions=adoptions,
        members=members,
        error=error,
        form=request.form,
    )
    return page, status
