"""Sign in and out, password reset, and the profile page."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RequestResetForm,
    ResetPasswordForm,
)
from app.auth.password_reset import queue_reset_email
from app.auth.policies import PUBLIC, SIGNED_IN, allow
from app.auth.session import renew_session
from app.exceptions import InvalidToken, ValidationFailed
from app.extensions import db, limiter
from app.forms import show_on_form
from app.outbox import mark_signed_out
from app.urls import safe_next


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_ip_limit() -> str:
    return current_app.config["LOGIN_IP_RATE_LIMIT"]


def _password_change_limit() -> str:
    return current_app.config["PASSWORD_CHANGE_RATE_LIMIT"]


def _account_key() -> str:
    """The account a sign-in or reset request is about (the address typed, normalised):
    guessing one person's password is limited from every address together."""
    email = request.form.get("email", "")
    return "account:" + services.normalise_email(email)[:320]


def _signed_in_user_key() -> str:
    """The signed-in person (guesses at the current password count per account)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else "user:-"


# One address (a hospital's NAT, a workshop room) has a much higher ceiling than one
# account: trainees signing in together are not refused, guessing one password is.
login_limits = [
    limiter.limit(_login_limit, key_func=_account_key, methods=["POST"]),
    limiter.limit(_login_ip_limit, methods=["POST"]),
]


def _limited(view):
    for decorate in reversed(login_limits):
        view = decorate(view)
    return view


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
@_limited
def login():
    """Sign in with e-mail and password; one generic message for any failure."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            renew_session()  # no session fixation across the sign-in
            login_user(user, remember=form.remember.data)
            services.record_sign_in(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
        db.session.rollback()
        flash(_("The e-mail address or password is not correct."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(SIGNED_IN)
def logout():
    """Sign out (POST only, CSRF-protected, so no link or foreign form can sign someone
    out). Every session of the account ends, including copies and remember cookies."""
    services.end_sessions(current_user)
    db.session.commit()
    user_id = current_user.id
    logout_user()
    renew_session()
    mark_signed_out(user_id)  # the next page has this device forget the person's pages
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@allow(PUBLIC)
@_limited
def forgot_password():
    """Send a reset link; the answer, and the work the request does, are the same whether
    or not the address is known: one e-mail is queued either way (to an unknown address,
    a note that no account uses it), durably, in the outbox."""
    form = RequestResetForm()
    if form.validate_on_submit():
        queue_reset_email(form.email.data)
        db.session.commit()
        flash(
            _(
                "If an account uses this address, we have sent it a link to choose a new "
                "password. The link works once, within two hours."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def reset_password(token: str):
    """Choose a new password from an e-mailed link (signed, expiring, one use)."""
    try:
        user = services.user_for_reset_token(token)
    except InvalidToken as error:
        flash(str(error), "error")
        return render_template("auth/token_problem.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash(_("Your password has been changed. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user)


@bp.route("/profile", methods=["GET", "POST"])
@allow(SIGNED_IN)
def profile():
    """See and change one's own name, profession, language and time zone."""
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.profession.data = current_user.profession.value
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                form.name.data,
                form.profession.data,
                form.locale.data,
                form.timezone.data,
            )
        except ValidationFailed as error:
            show_on_form(form, error, "name")
        else:
            session.pop("locale", None)  # the profile now decides the language
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("auth.profile"))
    status = 400 if form.errors else 200
    return render_template(
        "auth/profile.html", form=form, password_form=ChangePasswordForm()
    ), status


@bp.route("/profile/password", methods=["POST"])
@allow(SIGNED_IN)
@limiter.limit(_password_change_limit, key_func=_signed_in_user_key, methods=["POST"])
def change_password():
    """Change one's password (the current one is asked for); other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except ValidationFailed as error:
            db.session.rollback()
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # stay signed in, new version
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.profile"))
    profile_form = ProfileForm(obj=current_user)
    profile_form.profession.data = current_user.profession.value
    return render_template("auth/profile.html", form=profile_form, password_form=form), 400
