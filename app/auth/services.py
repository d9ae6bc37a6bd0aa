"""Account rules: sign-in, invitations, password reset, profiles and roles.

Services take the acting user as an argument, flush but never commit, and raise the
project's exceptions (``app.exceptions``) when a rule is broken.
"""

import hashlib
import secrets

import pytz
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth import queries
from app.auth.models import Invitation, Profession, Role, RoleAssignment, User
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.permissions import INVITE, MANAGE, REVOKE, require
from app.auth.permissions import institution as institution_rule
from app.auth.policies import invitable_roles
from app.db_types import utcnow
from app.events import profiles_changed
from app.exceptions import InvalidToken, PermissionDenied, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution

RESET_SALT = "palliare.password-reset"


class AccountExists(ValidationFailed):
    """The address invited already has an account. The invitation form must not say so
    (that would tell anyone who may invite which addresses have accounts)."""


def normalise_email(email: str) -> str:
    """E-mail addresses compare without surrounding space and case."""
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    """The user with this e-mail address, if any."""
    return queries.user_by_email(normalise_email(email))


def user_for_session(session_id: str) -> User | None:
    """Flask-Login's loader: the active user behind a session id ``"<id>.<version>"``.

    One query for the user and all their roles; a stale version (the password changed)
    or a deactivated account gives None, which signs the session out.
    """
    user_id, _sep, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = queries.user_with_roles(int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same cost either way)."""
    user = get_user_by_email(email)
    valid = verify_password(user.password_hash if user else None, password)
    if not (user and valid and user.active):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_sign_in(user: User) -> None:
    """Remember when the user last signed in."""
    user.last_login_at = utcnow()
    db.session.flush()


def check_locale(locale: str | None) -> str | None:
    """``locale`` if the interface offers it (None stays None), else ValidationFailed."""
    if locale in (None, "") or locale in current_app.config["LANGUAGES"]:
        return locale or None
    raise ValidationFailed(_("Unknown language: %(locale)s", locale=locale), "locale")


def check_timezone(timezone: str | None) -> str | None:
    """``timezone`` if it is an IANA time zone name (None stays None)."""
    if timezone in (None, "") or timezone in pytz.all_timezones_set:
        return timezone or None
    raise ValidationFailed(_("Unknown time zone: %(tz)s", tz=timezone), "timezone")


def create_user(
    email: str,
    name: str,
    password: str,
    profession: Profession,
    institution: Institution | None = None,
    roles: tuple[Role, ...] = (Role.LEARNER,),
    locale: str | None = None,
    timezone: str | None = None,
) -> User:
    """Create an account holding ``roles`` (scoped to ``institution`` where that applies)."""
    email = normalise_email(email)
    if get_user_by_email(email):
        raise ValidationFailed(_("An account with this e-mail address already exists."), "email")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        profession=Profession(profession),
        institution=institution,
        locale=check_locale(locale),
        timezone=check_timezone(timezone),
    )
    db.session.add(user)
    for role in roles:
        user.role_assignments.append(_assignment_for(role, institution))
    db.session.flush()
    return user


def _assignment_for(role: Role, institution: Institution | None) -> RoleAssignment:
    """A role assignment; coordinators are scoped to the institution they join."""
    scoped = role == Role.COORDINATOR and institution is not None
    return RoleAssignment(role=role, institution_id=institution.id if scoped else None)


# --- Invitations -------------------------------------------------------------------


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_person(
    inviter: User,
    email: str,
    role: Role,
    institution: Institution | None,
    programme_id: int | None = None,
    locale: str | None = None,
) -> tuple[Invitation, str]:
    """Invite ``email`` to join with ``role``; returns the invitation and its secret token."""
    if role not in invitable_roles(inviter):
        raise PermissionDenied(_("You may not invite people with this role."))
    institution_id = institution.id if institution else None
    if not institution_rule.allows(inviter, INVITE, institution_id):
        raise PermissionDenied(_("You may only invite people to your own institution."))
    if role != Role.LEARNER and not institution_rule.allows(inviter, MANAGE, institution_id):
        raise PermissionDenied(_("You may not invite people with this role."))
    if role == Role.COORDINATOR and institution is None:
        raise ValidationFailed(_("A coordinator must belong to an institution."), "institution")
    scope = {Role.FUNDER: ("programme", programme_id), Role.TRANSLATOR: ("locale", locale)}
    if role in scope and not scope[role][1]:
        message = _("This role needs a scope (institution, programme or language).")
        raise ValidationFailed(message, scope[role][0])
    check_locale(locale)
    return _new_invitation(
        inviter,
        email,
        role,
        institution,
        programme_id=programme_id if role == Role.FUNDER else None,
        locale=locale if role == Role.TRANSLATOR else None,
    )


def invite_learners(
    inviter: User, people: list[tuple[str, str, Profession, Institution]], cohort_id: int
) -> list[tuple[Invitation, str]]:
    """Invite learners into a cohort from its roster: ``(email, name, profession,
    institution)`` each, addresses that have no account (the roster has checked). The
    cohort's trainer may invite learners at every institution where they run the cohort;
    the name and profession fill in the join form. Returns each invitation and its token."""
    invited = [
        _unsaved_invitation(
            inviter,
            email,
            Role.LEARNER,
            institution,
            cohort_id=cohort_id,
            name=name,
            profession=profession,
        )
        for email, name, profession, institution in people
    ]
    db.session.flush()  # once for the whole roster
    return invited


def _new_invitation(inviter, email, role, institution, **scope) -> tuple[Invitation, str]:
    if get_user_by_email(email):
        raise AccountExists(_("This person already has an account."), "email")
    invited = _unsaved_invitation(inviter, email, role, institution, **scope)
    db.session.flush()
    return invited


def _unsaved_invitation(inviter, email, role, institution, **scope) -> tuple[Invitation, str]:
    """An invitation added to the session (not flushed) and its secret token."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=normalise_email(email),
        role=role,
        institution=institution,
        token_hash=_token_digest(token),
        invited_by=inviter,
        expires_at=utcnow() + current_app.config["INVITATION_MAX_AGE"],
        **scope,
    )
    db.session.add(invitation)
    return invitation, token


def find_invitation(token: str) -> Invitation:
    """The open invitation behind ``token``; InvalidToken if unknown, used or expired."""
    invitation = queries.invitation_by_token_hash(_token_digest(token))
    if invitation is None or invitation.revoked_at is not None:
        raise InvalidToken(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise InvalidToken(_("This invitation has already been used. Please sign in."))
    if invitation.expires_at <= utcnow():
        raise InvalidToken(_("This invitation has expired. Ask for a new one."))
    return invitation


def accept_invitation(
    token: str,
    name: str,
    password: str,
    profession: Profession,
    timezone: str | None,
    locale: str | None,
) -> User:
    """Create the invited person's account and close the invitation (it works once)."""
    invitation = find_invitation(token)
    user = create_user(
        invitation.email,
        name,
        password,
        profession,
        institution=invitation.institution,
        roles=(invitation.role,),
        locale=locale,
        timezone=timezone,
    )
    for assignment in user.role_assignments:  # a funder's programme, a translator's language
        assignment.programme_id = assignment.programme_id or invitation.programme_id
        assignment.locale = assignment.locale or invitation.locale
    invitation.accepted_at = utcnow()
    invitation.user_id = user.id
    db.session.flush()
    return user


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    """Withdraw an unused invitation."""
    require(actor, REVOKE, invitation, _l("You may not withdraw this invitation."))
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()


# --- Password reset and change -----------------------------------------------------


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user: User) -> str:
    """A signed, expiring token; it dies as soon as the password changes (one use)."""
    return _reset_serializer().dumps({"uid": user.id, "pw": user.password_fingerprint()})


def user_for_reset_token(token: str) -> User:
    """The user a reset token was made for; InvalidToken if forged, expired or used."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds()
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidToken(_("This password reset link has expired.")) from None
    except BadSignature:
        raise InvalidToken(_("This password reset link is not valid.")) from None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or not user.active or user.password_fingerprint() != data.get("pw"):
        raise InvalidToken(_("This password reset link has already been used."))
    return user


def end_sessions(user: User) -> None:
    """End every session of ``user``: each session and remember cookie carries the
    version it was made with (``User.get_id``), and an old version no longer loads."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def set_password(user: User, new_password: str) -> None:
    """Replace the password and sign out the user's sessions (the view signs the current
    one in again with the new version)."""
    user.password_hash = hash_password(new_password)
    end_sessions(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one."""
    if not verify_password(user.password_hash, current_password):
        raise ValidationFailed(_("Your current password is not correct."), "current_password")
    set_password(user, new_password)


def update_profile(user: User, name: str, profession: Profession, locale, timezone) -> None:
    """Save the fields a person may change about themselves."""
    user.name = name.strip()
    user.profession = Profession(profession)
    user.locale = check_locale(locale)
    user.timezone = check_timezone(timezone)
    db.session.flush()
    profiles_changed.send(user_ids=[user.id])


def remember_locale(user: User, locale: str) -> None:
    """Keep the language a signed-in user chose with ``?lang=``."""
    if user.locale != locale:
        user.locale = check_locale(locale)
        db.session.flush()
        profiles_changed.send(user_ids=[user.id])


# --- Administration ----------------------------------------------------------------


def update_user(actor: User, user: User, name, profession, institution, active: bool) -> None:
    """An administrator edits an account."""
    if user.id == actor.id and not active:
        raise ValidationFailed(_("You cannot deactivate your own account."), "active")
    user.name = name.strip()
    user.profession = Profession(profession)
    user.institution = institution
    if user.active and not active:
        end_sessions(user)  # reactivating the account later does not bring them back
    user.active = active
    db.session.flush()
    profiles_changed.send(user_ids=[user.id])


def sign_out_everywhere(actor: User, user: User) -> None:
    """An administrator ends every session of ``user`` (a lost phone, a shared computer)."""
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied(_("Only an administrator may do this."))
    end_sessions(user)


def grant_role(
    actor: User, user: User, role: Role, institution_id=None, programme_id=None, locale=None
) -> RoleAssignment:
    """Give ``user`` a role with the scope that role needs."""
    needs = {Role.COORDINATOR: institution_id, Role.FUNDER: programme_id, Role.TRANSLATOR: locale}
    if role in needs and not needs[role]:
        raise ValidationFailed(_("This role needs a scope (institution, programme or language)."))
    check_locale(locale)
    scope = {
        "institution_id": institution_id if role == Role.COORDINATOR else None,
        "programme_id": programme_id if role == Role.FUNDER else None,
        "locale": locale if role == Role.TRANSLATOR else None,
    }
    for existing in user.role_assignments:
        if existing.role == role and all(getattr(existing, k) == v for k, v in scope.items()):
            raise ValidationFailed(_("This person already has this role."))
    assignment = RoleAssignment(role=role, **scope)
    user.role_assignments.append(assignment)
    db.session.flush()
    return assignment


def revoke_role(actor: User, assignment: RoleAssignment) -> None:
    """Take a role away; nobody removes their own administrator role."""
    if assignment.user_id == actor.id and assignment.role == Role.ADMIN:
        raise ValidationFailed(_("You cannot remove your own administrator role."))
    assignment.user.role_assignments.remove(assignment)
    db.session.flush()
