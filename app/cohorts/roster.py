"""Enrolling a cohort from a roster (checked in full by ``roster_csv`` first): all rows
or none. Known learners at the institutions where the trainer runs cohorts are enrolled;
new people are invited by e-mail; anyone else with an account is sent the join link, so
that nobody is put into a cohort (and shown to its trainers) without choosing to be."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth import queries as auth_queries
from app.auth import services as auth_services
from app.auth.models import Invitation, User
from app.auth.permissions import MANAGE, require
from app.cohorts.models import Cohort
from app.cohorts.queries import (
    cohort_institutions,
    invited_among,
    lock_places,
    member_ids,
    places_taken,
)
from app.cohorts.roster_csv import RosterRow
from app.cohorts.services import add_members
from app.exceptions import ValidationFailed
from app.institutions.models import Institution
from app.notifications.queries import already_mailed


@dataclass
class RosterOutcome:
    """What an accepted roster did."""

    enrolled: list[User] = field(default_factory=list)
    invited: list[tuple[Invitation, str]] = field(default_factory=list)  # with their tokens
    asked_to_join: list[User] = field(default_factory=list)  # accounts elsewhere: a join link
    unchanged: int = 0  # already members, or already invited


def roster_institutions(actor: User, cohort: Cohort) -> dict[str, Institution]:
    """Institutions a roster may name, by name: the cohort's, and those where ``actor``
    runs cohorts."""
    found = {i.name: i for i in cohort_institutions(actor)}
    found.setdefault(cohort.institution.name, cohort.institution)
    return found


def enrol_roster(actor: User, cohort: Cohort, rows: list[RosterRow]) -> RosterOutcome:
    """Enrol, invite or ask to join every row; nothing at all if the cohort lacks places."""
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))
    institutions = roster_institutions(actor, cohort)
    outcome, joining, new_rows = _sort_rows(cohort, rows, institutions)
    lock_places(cohort)
    places = cohort.capacity - places_taken(cohort)
    if len(joining) + len(new_rows) > places:
        message = _(
            "The roster adds %(n)d people but the cohort has %(places)d places left.",
            n=len(joining) + len(new_rows),
            places=max(places, 0),
        )
        raise ValidationFailed(message)
    outcome.enrolled = add_members(cohort, joining, "roster")
    people = [
        (row.email, row.name, row.profession, institutions.get(row.institution, cohort.institution))
        for row in new_rows
    ]
    outcome.invited = auth_services.invite_learners(actor, people, cohort.id)
    return outcome


def _sort_rows(cohort: Cohort, rows: list[RosterRow], institutions: dict[str, Institution]):
    """Split the rows: unchanged, to enrol (our learners), to ask (accounts elsewhere, once
    per cohort however often the roster is uploaded), to invite (no account); four
    queries whatever the roster's length."""
    emails = [row.email for row in rows]
    accounts = {u.email: u for u in auth_queries.users_with_emails(emails)}
    pending = invited_among(cohort, emails)
    pending |= already_mailed(roster_reference(cohort), "join_cohort", emails)
    present = set(member_ids(cohort))
    home_ids = {institution.id for institution in institutions.values()}
    outcome, joining, new_rows = RosterOutcome(), [], []
    for row in rows:
        user = accounts.get(row.email)
        if (user and user.id in present) or row.email in pending:
            outcome.unchanged += 1
        elif user and user.institution_id in home_ids:
            joining.append(user)
        elif user:
            outcome.asked_to_join.append(user)
        else:
            new_rows.append(row)
    return outcome, joining, new_rows


def roster_reference(cohort: Cohort) -> str:
    """The outbox reference of a cohort's roster e-mails (invitations and join links)."""
    return f"roster:{cohort.id}"
