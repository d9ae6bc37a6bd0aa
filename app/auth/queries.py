"""Reads of accounts and invitations: users by address, id or search, invitations by
token digest or by who may see them."""

from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, lazyload

from app.auth.models import Invitation, RoleAssignment, User
from app.auth.permissions import INVITE, scope
from app.extensions import db
from app.institutions.models import Institution


def user_by_email(address: str) -> User | None:
    """The user with this (already normalised) e-mail address, if any."""
    return db.session.scalar(select(User).where(User.email == address))


def user_by_email_alone(address: str) -> User | None:
    """The user with this (normalised) address, nothing else loaded: one statement
    whether or not the address is known (no roles loaded after it)."""
    return db.session.scalar(select(User).where(User.email == address).options(lazyload("*")))


def users_with_emails(addresses: list[str]) -> list[User]:
    """The users with these (normalised) addresses."""
    return list(db.session.scalars(select(User).where(User.email.in_(addresses))))


def user_with_roles(user_id: int) -> User | None:
    """The user and all their role assignments, in one query."""
    return db.session.scalars(_user_with_roles(), {"user_id": user_id}).unique().first()


@cache
def _user_with_roles():
    # Every signed-in request runs it: built once, it costs its execution only. A role's
    # institution is read only if asked for (its name: the profile page; every rule reads
    # the id, and a coordinator's is usually the user's own, which stays joined for the
    # language and time-zone fallbacks). A funder's programme stays joined: the programme
    # pages then find it loaded.
    roles = joinedload(User.role_assignments)
    return (
        select(User)
        .where(User.id == bindparam("user_id"))
        .options(roles.lazyload(RoleAssignment.institution))
    )


def invitation_by_token_hash(token_hash: str) -> Invitation | None:
    """The invitation whose token has this digest (used, withdrawn or expired alike)."""
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def list_sent_invitations(inviter: User) -> list[Invitation]:
    """Invitations ``inviter`` may see: all for admins, otherwise the ones they sent."""
    query = select(Invitation).order_by(Invitation.created_at.desc()).limit(200)
    return list(db.session.scalars(scope(inviter, query, Invitation)))


def list_users(search: str = "", page: int = 1, per_page: int = 50):
    """A page of users matching ``search`` (name or e-mail), newest first."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            func.lower(User.name).like(pattern) | func.lower(User.email).like(pattern)
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def institutions_to_invite_to(user: User) -> list[Institution]:
    """The institutions ``user`` may invite people to, by name (the institution rule as
    a filter)."""
    everywhere = select(Institution).order_by(Institution.name)
    return list(db.session.scalars(scope(user, everywhere, Institution, INVITE)))


def list_members(institution_id: int) -> list[User]:
    """The people of an institution, by name (roles loaded in one extra query)."""
    query = select(User).where(User.institution_id == institution_id).order_by(User.name)
    return list(db.session.scalars(query))
