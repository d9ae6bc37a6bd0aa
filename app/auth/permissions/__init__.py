"""Who may do what to an object: one module per resource, one rule per object.

The route table (``auth/policies.py``) says which *kinds* of people reach a view; the
modules here decide about one *object* (this cohort, this case). Each resource module
registers a :class:`Rule` for its model with

- ``can(user, action, obj)``: whether ``user`` may do ``action`` to ``obj``;
- ``scope(user, query, action)``: the same rule as a filter, for list pages, so a list
  never shows what the object's own page refuses (``tests/auth/test_permissions.py``
  checks that the two agree for every person in the matrix world).

Rules read the user's roles, institution and memberships as they are now, on every
request: losing a role or leaving a cohort or an institution takes effect at once.

Views load objects with :func:`load_or_404`; services call :func:`require` before they
change anything. Both raise :class:`PermissionDenied`, which one app-wide handler
(``errors.py``) answers with 404 when the person may not even know the object
exists (a private rule) and with 403 otherwise.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, false

from app.exceptions import PermissionDenied
from app.extensions import db

# Actions. Resources use the ones that make sense for them.
VIEW = "view"  # see the object's page and that it exists
MANAGE = "manage"  # change it (a cohort's roster, a series' sessions, an agenda)
JOIN = "join"  # take part (a conference series)
SUBMIT = "submit"  # add to it (a case to a series)
READ = "read"  # read its lessons (a course)
STAFF = "staff"  # see what only teaching staff see (a quiz's item statistics)
REPORT = "report"  # see aggregate reports (a programme, an institution)
REVOKE = "revoke"  # withdraw it (a trainer certification, a certificate)
TRANSLATE = "translate"  # edit its translation (a catalog)
SEE_MEMBERS = "see members"  # see the names of the people in it (a cohort)
INVITE = "invite"  # invite people into it (an institution)
CASCADE = "cascade"  # see who trained whom in it (a programme)


@dataclass(frozen=True)
class Rule:
    """A resource's permission rule."""

    model: type
    can: Callable[[Any, str, Any], bool]
    scope: Callable[[Any, Select, str], Select]
    private: bool = True  # refused people are told nothing exists (404), not 403
    load: Callable[[Any], Any] | None = None  # from a URL key; default: by primary key


_RULES: dict[type, Rule] = {}


def register(rule: Rule) -> Rule:
    _RULES[rule.model] = rule
    return rule


def rule_for(model: type) -> Rule:
    try:
        return _RULES[model]
    except KeyError:  # a programming error: every object route has a rule
        raise LookupError(f"No permission rule for {model.__name__}") from None


def can(user, action: str, obj) -> bool:
    """Whether ``user`` (possibly signed out) may do ``action`` to ``obj``."""
    if obj is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return rule_for(type(obj)).can(user, action, obj)


def scope(user, query: Select, model: type, action: str = VIEW) -> Select:
    """``query`` (over ``model``) narrowed to the objects ``user`` may ``action``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return query.where(false())
    return rule_for(model).scope(user, query, action)


DENIED = _l("Your account may not do this.")


def require(user, action: str, obj, message=None) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may do ``action`` to ``obj``; it
    answers 404 when the object is private and ``user`` may not even see it. Pass the
    ``message`` lazily (``lazy_gettext``): it is only rendered when refused."""
    if can(user, action, obj):
        return
    rule = rule_for(type(obj))
    hidden = rule.private and (action == VIEW or not can(user, VIEW, obj))
    raise PermissionDenied(message or DENIED, hidden=hidden)


def load_or_404(model: type, key, action: str = VIEW):
    """The ``model`` object at ``key`` if the current user may ``action`` it; else 404
    (no such object, or a private one they may not see) or 403."""
    rule = rule_for(model)
    obj = rule.load(key) if rule.load else db.session.get(model, key)
    if obj is None:
        abort(404)
    require(current_user, action, obj)
    return obj


# Auth's own resources register their rules here; every other resource's rule lives in
# its feature package (``access.py``), imported by that package's ``init_app``.
from app.auth.permissions import institution, invitation, programme  # noqa: E402, F401
