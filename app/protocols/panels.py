"""The panels the protocol page shows below a version, from the parts other than
writing and review (adoption, translations, lessons that teach it, the adaptation's
source): each is a template and its context. Owned by those parts; the version page
(views.py) renders whatever this returns, in order, and imports nothing else of them.

Each template reads its context as top-level variables
(``render_template(name, **context)`` or an include inside ``{% with %}``)."""

from flask import current_app
from flask_babel import get_locale

from app.auth.models import Role
from app.courses import documents
from app.protocols import adoption_queries as queries
from app.protocols import links
from app.protocols.adoption_access import adopting_institution_ids
from app.protocols.models import ProtocolVersion, VersionState
from app.protocols.translation import source_of


def version_panels(version: ProtocolVersion, viewer) -> list[tuple[str, dict]]:
    """(template name, context) for each panel ``viewer`` may see below ``version``."""
    panels = []
    if version.state == VersionState.PUBLISHED:
        panels.append(("protocols/_translations_panel.html", translations_panel(version, viewer)))
    panels.append(("protocols/_adoption_panel.html", adoption_panel(version, viewer)))
    panels.append(("protocols/_lessons_panel.html", lessons_panel(version)))
    return panels


def translations_panel(version: ProtocolVersion, viewer) -> dict:
    """Each language: available, held back (n safety-critical segments to translate),
    coverage; a link to the translators' page for the languages ``viewer`` translates."""
    source = source_of(version)
    rows = []
    for locale in current_app.config["LANGUAGES"]:
        if locale == documents.SOURCE_LOCALE:
            continue
        coverage = documents.coverage(source, documents.catalog_of(source, locale))
        rows.append(
            {
                "locale": locale,
                "coverage": coverage,
                "held_back": coverage.critical_missing > 0,
                "percent": 100 * coverage.translated // coverage.total if coverage.total else 100,
                "translates": _translates(viewer, locale),
            }
        )
    return {"version": version, "document_id": source.id, "languages": rows}


def _translates(viewer, locale: str) -> bool:
    """The catalog rule's answer (app/i18n/access.py), read here from the roles since
    i18n sits above protocols."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    return viewer.has_role(Role.ADMIN) or locale in viewer.translator_locales


def adoption_panel(version: ProtocolVersion, viewer) -> dict:
    """The institutions that adopted the protocol: version (a newer one exists?), date,
    whom to ask; the adoption page's link for those who record adoptions."""
    latest = queries.latest_published(version.protocol_id)
    adoptions = queries.list_adoptions(version.protocol_id)
    may_adopt = getattr(viewer, "is_authenticated", False) and (
        adopting_institution_ids(viewer) is None or bool(adopting_institution_ids(viewer))
    )
    return {
        "protocol": version.protocol,
        "adoptions": [
            {"adoption": a, "outdated": latest is not None and a.version.number < latest.number}
            for a in adoptions
        ],
        "may_adopt": may_adopt and latest is not None,
    }


def lessons_panel(version: ProtocolVersion) -> dict:
    """The lessons that teach the protocol, titles in the reader's language."""
    locale = str(get_locale())
    return {"lessons": links.teaching_lessons(version.protocol.slug, locale)}
