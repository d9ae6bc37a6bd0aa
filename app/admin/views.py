"""Administrators list, edit, activate and deactivate accounts, and grant roles."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from app.admin import bp
from app.admin.forms import GrantRoleForm, UserForm, UserSearchForm
from app.auth import queries as auth_queries
from app.auth import services
from app.auth.models import Role, RoleAssignment, User
from app.auth.policies import ADMIN, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.institutions import queries as institution_queries
from app.institutions import services as institution_services
from app.locales import language_choices

NONE_CHOICE = (0, _l("— none —"))


@bp.route("/users")
@allow(ADMIN)
def users():
    """Every account, searchable, fifty to a page."""
    form = UserSearchForm(request.args)
    search = form.q.data if form.validate() else ""
    page = request.args.get("page", 1, type=int)
    pagination = auth_queries.list_users(search or "", page=max(page, 1))
    return render_template("admin/users.html", form=form, pagination=pagination)


def _role_form() -> GrantRoleForm:
    form = GrantRoleForm(prefix="role")
    form.institution.choices = [NONE_CHOICE] + [
        (i.id, i.name) for i in institution_queries.list_institutions()
    ]
    form.programme.choices = [NONE_CHOICE] + [
        (p.id, p.name) for p in institution_queries.list_programmes()
    ]
    form.locale.choices = [("", _l("— none —"))] + language_choices()
    return form


def _user_form(user: User) -> UserForm:
    form = UserForm(obj=user)
    form.institution.choices = [NONE_CHOICE] + [
        (i.id, i.name) for i in institution_queries.list_institutions()
    ]
    if not form.is_submitted():
        form.profession.data = user.profession.value
        form.institution.data = user.institution_id or 0
    return form


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow(ADMIN)
def edit_user(user_id: int):
    """Edit an account: name, profession, institution, active."""
    user = db.session.get(User, user_id) or abort(404)
    form = _user_form(user)
    if form.validate_on_submit():
        institution = institution_services.get_institution(form.institution.data)
        try:
            services.update_user(
                current_user,
                user,
                form.name.data,
                form.profession.data,
                institution,
                form.active.data,
            )
        except ValidationFailed as error:
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("The account has been saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    status = 400 if form.errors else 200
    return render_template(
        "admin/edit_user.html", user=user, form=form, role_form=_role_form()
    ), status


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
@allow(ADMIN)
def sign_out_everywhere(user_id: int):
    """End every session of an account (each device, each remember cookie)."""
    user = db.session.get(User, user_id) or abort(404)
    services.sign_out_everywhere(current_user, user)
    db.session.commit()
    if user.id == current_user.id:
        login_user(user)  # the administrator's own other sessions end; this one stays
    flash(_("%(name)s has been signed out everywhere.", name=user.name), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@allow(ADMIN)
def grant_role(user_id: int):
    """Give an account a role, with its scope."""
    user = db.session.get(User, user_id) or abort(404)
    form = _role_form()
    if form.validate_on_submit():
        try:
            services.grant_role(
                current_user,
                user,
                Role(form.role.data),
                institution_id=form.institution.data or None,
                programme_id=form.programme.data or None,
                locale=form.locale.data or None,
            )
        except ValidationFailed as error:
            db.session.rollback()
            form.role.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The role has been granted."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "admin/edit_user.html", user=user, form=_user_form(user), role_form=form
    ), 400


@bp.route("/users/<int:user_id>/roles/<int:assignment_id>/revoke", methods=["POST"])
@allow(ADMIN)
def revoke_role(user_id: int, assignment_id: int):
    """Take a role away from an account."""
    assignment = db.session.get(RoleAssignment, assignment_id)
    if assignment is None or assignment.user_id != user_id:
        abort(404)
    try:
        services.revoke_role(current_user, assignment)
    except ValidationFailed as error:
        db.session.rollback()
        flash(str(error), "error")
        user = assignment.user
        return render_template(
            "admin/edit_user.html", user=user, form=_user_form(user), role_form=_role_form()
        ), 400
    db.session.commit()
    flash(_("The role has been removed."), "info")
    return redirect(url_for("admin.edit_user", user_id=user_id))
