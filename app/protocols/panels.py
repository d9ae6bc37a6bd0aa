"""The panels the protocol page shows below a version, from the parts other than
writing and review (adoption, translations, lessons that teach it, the adaptation's
source): each is a template and its context. Owned by those parts; the version page
(views.py) renders whatever this returns, in order, and imports nothing else of them."""

from app.protocols.models import ProtocolVersion


def version_panels(version: ProtocolVersion, viewer) -> list[tuple[str, dict]]:
    """(template name, context) for each panel ``viewer`` may see below ``version``."""
    return []
