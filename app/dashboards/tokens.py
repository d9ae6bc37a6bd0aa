"""Creating, finding and revoking API tokens (flush, never commit)."""

import hashlib
import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.permissions import REVOKE, require
from app.dashboards import queries
from app.dashboards.models import ApiToken
from app.db_types import utcnow
from app.exceptions import InvalidToken, ValidationFailed
from app.extensions import db

PREFIX = "pal_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` (its secret is returned once, never stored)."""
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationFailed(_("Name the token (e.g. the report that uses it)."), "name")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(user: User, token: ApiToken) -> None:
    """Stop a token at once."""
    require(user, REVOKE, token, _l("You may not revoke this token."))
    token.revoked_at = token.revoked_at or utcnow()
    db.session.flush()


def user_for_token(secret: str) -> User:
    """The active owner of a live token; InvalidToken otherwise."""
    token = queries.token_by_hash(_digest(secret))
    if token is None or token.revoked_at is not None or not token.user.active:
        raise InvalidToken(_("This API token is not valid."))
    token.last_used_at = utcnow()
    return token.user
