"""Account rules, tested without HTTP."""

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.auth import services
from app.auth.models import Invitation, Profession, Role
from app.db_types import utcnow
from app.exceptions import InvalidToken, PermissionDenied, ValidationFailed
from app.extensions import db
from tests.factories import make_institution, make_programme, make_user


def test_passwords_are_hashed_with_argon2id():
    user = services.create_user("a@example.org", "A", "correct horse battery", Profession.NURSE)
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash


def test_authenticate_accepts_the_right_password_only():
    services.create_user("Nurse@Example.org ", "N", "correct horse battery", Profession.NURSE)
    assert services.authenticate("nurse@example.org", "correct horse battery") is not None
    assert services.authenticate("nurse@example.org", "wrong password!!") is None
    assert services.authenticate("nobody@example.org", "correct horse battery") is None


def test_inactive_users_cannot_sign_in():
    user = services.create_user("x@example.org", "X", "correct horse battery", Profession.OTHER)
    user.active = False
    assert services.authenticate("x@example.org", "correct horse battery") is None


def test_duplicate_email_is_refused_whatever_its_case():
    services.create_user("dup@example.org", "D", "correct horse battery", Profession.DOCTOR)
    with pytest.raises(ValidationFailed):
        services.create_user("DUP@example.org", "D", "correct horse battery", Profession.DOCTOR)


def test_unknown_locale_and_time_zone_are_refused():
    with pytest.raises(ValidationFailed):
        services.create_user("l@example.org", "L", "x" * 12, Profession.NURSE, locale="xx")
    with pytest.raises(ValidationFailed):
        services.create_user("t@example.org", "T", "x" * 12, Profession.NURSE, timezone="Mars/Base")


@pytest.mark.parametrize(
    "inviter_role, invited_role, allowed",
    [
        (Role.ADMIN, Role.ADMIN, True),
        (Role.COORDINATOR, Role.TRAINER, True),
        (Role.COORDINATOR, Role.ADMIN, False),
        (Role.TRAINER, Role.LEARNER, True),
        (Role.TRAINER, Role.TRAINER, False),
        (Role.LEARNER, Role.LEARNER, False),
    ],
)
def test_who_may_invite_whom(inviter_role, invited_role, allowed):
    institution = make_institution()
    role = (Role.COORDINATOR, institution) if inviter_role == Role.COORDINATOR else inviter_role
    inviter = make_user(roles=[role], institution=institution)
    if allowed:
        invitation, token = services.invite_person(
            inviter, "new@example.org", invited_role, institution
        )
        assert invitation.token_hash != token  # only a digest is stored
    else:
        with pytest.raises(PermissionDenied):
            services.invite_person(inviter, "new@example.org", invited_role, institution)


def test_coordinators_invite_only_to_their_own_institution():
    mine, other = make_institution(), make_institution()
    coordinator = make_user(roles=[(Role.COORDINATOR, mine)], institution=mine)
    with pytest.raises(PermissionDenied):
        services.invite_person(coordinator, "n@example.org", Role.LEARNER, other)


def test_an_invitation_works_once():
    admin = make_user(roles=[Role.ADMIN])
    _invitation, token = services.invite_person(admin, "once@example.org", Role.TRAINER, None)
    user = services.accept_invitation(token, "Once", "correct horse battery", "nurse", None, "kk")
    assert user.roles == {Role.TRAINER} and user.locale == "kk"
    with pytest.raises(InvalidToken):
        services.accept_invitation(token, "Twice", "correct horse battery", "nurse", None, None)


def test_an_invited_funder_joins_with_the_programme_scope():
    admin, programme = make_user(roles=[Role.ADMIN]), make_programme()
    _invitation, token = services.invite_person(
        admin, "f@example.org", Role.FUNDER, None, programme_id=programme.id
    )
    user = services.accept_invitation(token, "F", "correct horse battery", "other", None, None)
    assert user.funded_programme_ids == {programme.id}


def test_expired_revoked_and_unknown_invitations_are_refused():
    admin = make_user(roles=[Role.ADMIN])
    expired, expired_token = services.invite_person(admin, "e@example.org", Role.LEARNER, None)
    expired.expires_at = utcnow() - timedelta(seconds=1)
    revoked, revoked_token = services.invite_person(admin, "r@example.org", Role.LEARNER, None)
    services.revoke_invitation(admin, revoked)
    for token in (expired_token, revoked_token, "forged-token"):
        with pytest.raises(InvalidToken):
            services.find_invitation(token)


def test_inviting_an_existing_account_is_refused():
    admin = make_user(roles=[Role.ADMIN])
    existing = make_user()
    with pytest.raises(ValidationFailed):
        services.invite_person(admin, existing.email.upper(), Role.LEARNER, None)
    assert db.session.query(Invitation).count() == 0


def test_reset_token_works_once():
    user = make_user()
    token = services.make_reset_token(user)
    assert services.user_for_reset_token(token) is user
    services.set_password(user, "a brand new password")
    with pytest.raises(InvalidToken):
        services.user_for_reset_token(token)


def test_forged_and_expired_reset_tokens_are_refused(app):
    user = make_user()
    forged = URLSafeTimedSerializer("wrong-key", salt=services.RESET_SALT).dumps(
        {"uid": user.id, "pw": user.password_fingerprint()}
    )
    with pytest.raises(InvalidToken, match="not valid"):
        services.user_for_reset_token(forged)
    token = services.make_reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"], saved = (
        timedelta(seconds=-1),
        app.config["PASSWORD_RESET_MAX_AGE"],
    )
    try:
        with pytest.raises(InvalidToken, match="expired"):
            services.user_for_reset_token(token)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = saved


def test_password_change_needs_the_current_password_and_ends_other_sessions():
    user = make_user()
    version = user.session_version
    with pytest.raises(ValidationFailed):
        services.change_password(user, "not my password", "a brand new password")
    services.change_password(user, "palliare-demo", "a brand new password")
    assert user.session_version == version + 1
    assert services.authenticate(user.email, "a brand new password") is user


def test_scoped_roles_need_their_scope():
    admin, user = make_user(roles=[Role.ADMIN]), make_user()
    programme = make_programme()
    with pytest.raises(ValidationFailed):
        services.grant_role(admin, user, Role.FUNDER)
    services.grant_role(admin, user, Role.FUNDER, programme_id=programme.id)
    assert user.funded_programme_ids == {programme.id}
    with pytest.raises(ValidationFailed):
        services.grant_role(admin, user, Role.FUNDER, programme_id=programme.id)


def test_admins_cannot_remove_their_own_admin_role_or_deactivate_themselves():
    admin = make_user(roles=[Role.ADMIN])
    with pytest.raises(ValidationFailed):
        services.revoke_role(admin, admin.role_assignments[0])
    with pytest.raises(ValidationFailed):
        services.update_user(admin, admin, "Admin", "doctor", None, active=False)
