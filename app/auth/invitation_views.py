"""Joining by invitation: sending invitations and accepting them."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from app.auth import bp, queries, services
from app.auth.forms import InviteForm, JoinForm
from app.auth.models import Invitation, Role
from app.auth.permissions import REVOKE, load_or_404
from app.auth.policies import INVITERS, PUBLIC, allow, invitable_roles
from app.auth.session import renew_session
from app.events import invitation_accepted
from app.exceptions import InvalidToken, PermissionDenied, ValidationFailed
from app.extensions import db
from app.institutions import queries as institution_queries
from app.institutions import services as institution_services
from app.locales import language_choices
from app.notifications.outbox import queue_email
from app.notifications.queries import statuses_by_reference
from app.urls import external_url


def _invite_form() -> InviteForm:
    form = InviteForm()
    institutions = queries.institutions_to_invite_to(current_user)
    form.set_choices(invitable_roles(current_user), institutions)
    if current_user.has_role(Role.ADMIN):  # e.g. a funder, who belongs to no institution
        form.institution.choices.insert(0, (0, _l("— none —")))
        form.set_scope_choices(institution_queries.list_programmes(), language_choices())
    if current_user.institution_id and form.institution.data is None:
        form.institution.data = current_user.institution_id
    return form


@bp.route("/invitations", methods=["GET", "POST"])
@allow(INVITERS)
def invitations():
    """Invite a colleague by e-mail and see the invitations one has sent."""
    form = _invite_form()
    if form.validate_on_submit() and (email := _invite(form)) is not None:
        flash(_("Invitation to %(email)s queued for sending.", email=email), "success")
        return redirect(url_for("auth.invitations"))
    sent = queries.list_sent_invitations(current_user)
    mail = statuses_by_reference(f"invitation:{invitation.id}" for invitation in sent)
    status = 400 if form.errors else 200
    return render_template(
        "auth/invitations.html", form=form, invitations=sent, mail_statuses=mail
    ), status


def _invite(form) -> str | None:
    """Invite the person on the form and queue the e-mail: the address to confirm, or
    None with the reason on the form."""
    institution = institution_services.get_institution(form.institution.data)
    try:
        invitation, token = services.invite_person(
            current_user,
            form.email.data,
            Role(form.role.data),
            institution,
            programme_id=form.programme.data or None,
            locale=form.locale.data or None,
        )
        _queue_invitation(invitation, token)
        db.session.commit()
    except services.AccountExists:
        # The same answer as for a new address, and nothing written or sent: the
        # person signs in with the account they have (an administrator grants roles).
        db.session.rollback()
        return services.normalise_email(form.email.data)
    except (PermissionDenied, ValidationFailed) as error:
        db.session.rollback()
        target = getattr(form, getattr(error, "field", None) or "email", form.email)
        target.errors.append(str(error))
        return None
    return invitation.email


def _queue_invitation(invitation: Invitation, token: str) -> None:
    """E-mail the link, in the institution's language (queued with the invitation: the
    list of sent invitations shows whether it went out)."""
    locale = invitation.institution.default_locale if invitation.institution else None
    queue_email(
        invitation.email,
        "invitation",
        locale,
        sent_by=current_user,
        reference=f"invitation:{invitation.id}",
        invitation=invitation,
        link=external_url("auth.join", token=token),
        inviter=current_user,
    )


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@allow(INVITERS)
def revoke_invitation(invitation_id: int):
    """Withdraw an invitation that has not been used yet."""
    invitation = load_or_404(Invitation, invitation_id, REVOKE)
    services.revoke_invitation(current_user, invitation)
    db.session.commit()
    flash(_("The invitation was withdrawn."), "info")
    return redirect(url_for("auth.invitations"))


@bp.route("/join/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def join(token: str):
    """Accept an invitation: choose a name, profession and password (the link works once)."""
    try:
        invitation = services.find_invitation(token)
    except InvalidToken as error:
        flash(str(error), "error")
        return render_template("auth/token_problem.html"), 400
    prefill = {"name": invitation.name, "profession": invitation.profession}  # from a roster
    form = JoinForm(**{key: value for key, value in prefill.items() if value})
    if invitation.institution:  # the zone they will most likely pick, offered first
        form.timezone.suggest = [invitation.institution.timezone]
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(
                token,
                form.name.data,
                form.password.data,
                form.profession.data,
                form.timezone.data,
                form.locale.data,
            )
        except (InvalidToken, ValidationFailed) as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template("auth/token_problem.html"), 400
        invitation_accepted.send(user=user, invitation=invitation)  # e.g. a roster's
        db.session.commit()
        renew_session()
        login_user(user)
        flash(_("Welcome to Palliare, %(name)s.", name=user.name), "success")
        return redirect(url_for("main.index"))
    status = 400 if form.errors else 200
    return render_template("auth/join.html", form=form, invitation=invitation), status
