"""Who may see what: the one place where views declare and enforce access.

Every view is decorated with ``@allow(POLICY)``; ``enforce_policy`` runs before each
request and refuses anything a policy does not allow (a view without a policy is refused
too: deny by default). Rules about one *object* (a coordinator's *own* institution, a
cohort's members) live in ``auth/permissions/``, one module per resource.
"""

from dataclasses import dataclass

from flask import abort, current_app, request
from flask_login import current_user

from app.auth.models import Role, User
from app.extensions import login_manager
from app.outbox import is_outbox_request, signed_out_reply


@dataclass(frozen=True)
class Policy:
    """Who may reach a view: everyone, any signed-in user, or holders of given roles."""

    name: str
    roles: frozenset[Role] | None = None  # None: any signed-in user
    public: bool = False

    def allows(self, user) -> bool:
        """Whether ``user`` (possibly anonymous) may reach a view with this policy."""
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return self.roles is None or user.has_role(*self.roles)


def roles(name: str, *allowed: Role) -> Policy:
    """A policy for holders of any of ``allowed``."""
    return Policy(name, roles=frozenset(allowed))


PUBLIC = Policy("public", public=True)
SIGNED_IN = Policy("signed in")
ADMIN = roles("admin", Role.ADMIN)
INVITERS = roles("inviters", Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
COORDINATORS = roles("coordinators", Role.ADMIN, Role.COORDINATOR)
FUNDERS = roles("funders", Role.ADMIN, Role.FUNDER)
TRANSLATORS = roles("translators", Role.ADMIN, Role.TRANSLATOR)
# Who teaches, coordinates or translates courses: they read any lesson without enrolling
# and see quiz statistics (``app/courses/access.py`` uses the same list).
COURSE_STAFF = roles("course staff", Role.ADMIN, Role.TRAINER, Role.COORDINATOR, Role.TRANSLATOR)
COHORT_STAFF = roles("cohort staff", Role.ADMIN, Role.TRAINER, Role.COORDINATOR)
PROTOCOL_WRITERS = roles("protocol writers", Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
CASCADE_VIEWERS = roles("cascade viewers", Role.ADMIN, Role.TRAINER, Role.COORDINATOR, Role.FUNDER)

# Flask's own endpoints that carry no decorator.
BUILTIN_PUBLIC_ENDPOINTS = {"static"}


def allow(policy: Policy):
    """Declare the policy of a view function."""

    def decorate(view):
        view.policy = policy
        return view

    return decorate


def policy_of(endpoint: str) -> Policy | None:
    """The policy declared by the view behind ``endpoint`` (None when undeclared)."""
    if endpoint in BUILTIN_PUBLIC_ENDPOINTS:
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "policy", None)


def may_visit(endpoint: str, user=None) -> bool:
    """Whether ``user`` (default: the current user) may reach ``endpoint``; for menus."""
    policy = policy_of(endpoint)
    return policy is not None and policy.allows(user or current_user)


def enforce_policy():
    """``before_request`` hook: refuse a request its view's policy does not allow."""
    if request.endpoint is None:  # no route matched: let the 404/405 happen
        return None
    policy = policy_of(request.endpoint)
    if policy is None:
        current_app.logger.error("View %s declares no policy; refused", request.endpoint)
        abort(403)
    if policy.allows(current_user):
        return None
    if not current_user.is_authenticated:
        # A device replaying its outbox, or a script asking for JSON, is told in JSON
        # (401): a sign-in page would read as a success to it.
        view = current_app.view_functions.get(request.endpoint)
        if is_outbox_request() or getattr(view, "json_when_signed_out", False):
            return signed_out_reply()
        return login_manager.unauthorized()
    abort(403)


def invitable_roles(user: User) -> list[Role]:
    """The roles ``user`` may hand out by invitation."""
    if user.has_role(Role.ADMIN):
        return list(Role)
    if user.has_role(Role.COORDINATOR):
        return [Role.LEARNER, Role.TRAINER]
    if user.has_role(Role.TRAINER):
        return [Role.LEARNER]
    return []
