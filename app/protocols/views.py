"""Reading protocols: the list, a protocol's page (its latest published version), any
published version with the panels other parts add below it, the difference between two
versions, and a version's PDF."""

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_login import current_user
from markupsafe import Markup

from app.auth.permissions import VIEW, can
from app.auth.policies import SIGNED_IN, allow
from app.courses.labels import fill_labels
from app.protocols import adaptation, bp, content, diff, panels, queries
from app.protocols.access import EDIT
from app.protocols.pages import load_protocol, load_published
from app.protocols.pdf import version_pdf
from app.protocols.rendering import render_version
from app.protocols.services import may_create


@bp.route("/protocols/")
@allow(SIGNED_IN)
def index():
    """Published protocols for everyone signed in; drafts one writes or reviews."""
    rows = []
    for protocol in queries.listed_protocols(current_user):
        latest, draft = queries.latest_published(protocol), queries.draft_of(protocol)
        shown_draft = draft if draft is not None and can(current_user, VIEW, draft) else None
        rows.append((protocol, latest, shown_draft))
    rows.sort(key=lambda row: (row[1] or row[2]).title.lower())
    return render_template("protocols/index.html", rows=rows, may_create=may_create(current_user))


@bp.route("/protocols/<slug>")
@allow(SIGNED_IN)
def protocol(slug: str):
    """The latest published version, else the draft for those who may see it."""
    found = load_protocol(slug)
    latest = queries.latest_published(found)
    if latest is None:
        return redirect(url_for("protocols.draft", slug=found.slug), 303)
    return _version_page(found, latest)


@bp.route("/protocols/<slug>/v/<int:number>")
@allow(SIGNED_IN)
def version(slug: str, number: int):
    found = load_protocol(slug)
    return _version_page(found, load_published(found, number))


def _version_page(protocol, version):
    locale = str(get_locale())
    versions = [v for v in queries.versions_of(protocol) if v.number is not None]
    draft = queries.draft_of(protocol)
    latest = versions[0] if versions else None
    return render_template(
        "protocols/version.html",
        protocol=protocol,
        version=version,
        shown=render_version(version, locale),
        approvals=queries.approvals_of(version),
        versions=versions,
        latest=latest,
        draft=draft if draft is not None and can(current_user, VIEW, draft) else None,
        editor=can(current_user, EDIT, protocol),
        may_adapt=may_create(current_user),
        differing=adaptation.differing_sections(version),
        newer_source=adaptation.newer_source(protocol),
        panels=_panels(protocol, version),
        fill=fill_labels,
        change_log_html=content.html(version.change_log),
    )


def _panels(protocol, version) -> list[Markup]:
    """Each panel's template rendered with its context, its names both top-level and
    as ``panel`` (and the page's ``protocol`` and ``version`` unless it names its own)."""
    shown = []
    for template, context in panels.version_panels(version, current_user):
        names = {"protocol": protocol, "version": version, **context, "panel": context}
        shown.append(Markup(render_template(template, **names)))  # noqa: S704 - a template
    return shown


@bp.route("/protocols/<slug>/compare")
@allow(SIGNED_IN)
def compare(slug: str):
    """Two versions side by side, section by section (?a=older&b=newer, numbers)."""
    found = load_protocol(slug)
    versions = [v for v in queries.versions_of(found) if v.number is not None]
    if not versions:
        abort(404)
    numbers = {v.number: v for v in versions}
    try:
        a = int(request.args.get("a") or (versions[1].number if len(versions) > 1 else 1))
        b = int(request.args.get("b") or versions[0].number)
    except ValueError:
        abort(400)
    if a not in numbers or b not in numbers:
        abort(404)
    changes = diff.compare(numbers[a], numbers[b])
    return render_template(
        "protocols/compare.html",
        protocol=found,
        older=numbers[a],
        newer=numbers[b],
        versions=versions,
        changes=changes,
        counts=diff.counts(changes),
    )


@bp.route("/protocols/<slug>/v/<int:number>.pdf")
@allow(SIGNED_IN)
def version_pdf_download(slug: str, number: int):
    found = load_protocol(slug)
    version = load_published(found, number)
    locale = str(get_locale())
    with force_locale(locale):
        data = version_pdf(version, locale)
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{found.slug}-v{number}.pdf"'},
    )
