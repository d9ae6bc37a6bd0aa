"""Forms for signing in, joining, resetting passwords, the profile and invitations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
)

from app.auth.models import PROFESSION_LABELS, ROLE_LABELS
from app.forms import TimeZoneField

PASSWORD_MIN, PASSWORD_MAX = 10, 128


def profession_choices():
    return [(p.value, label) for p, label in PROFESSION_LABELS.items()]


def locale_choices():
    from app.locales import language_choices

    return [("", _l("Choose automatically"))] + language_choices()


EMAIL_LABEL = _l("E-mail address")


def email_field(label=EMAIL_LABEL):
    return EmailField(
        label,
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            Email(_l("Enter an e-mail address like name@example.org."), check_deliverability=False),
        ],
    )


def new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(_l("Choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("A password has between %(min)d and %(max)d characters."),
            ),
        ],
        description=_l("At least 10 characters. A few unrelated words make a strong one."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
    )
    return password, confirm


def name_field():
    return StringField(
        _l("Full name"),
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("A name has at most 120 characters.")),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Enter your password.")), Length(max=128)]
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class RequestResetForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


def timezone_field() -> TimeZoneField:
    return TimeZoneField(
        _l("Time zone"),
        validators=[Optional()],
        blank_label=_l("Use my institution's time zone"),
    )


class JoinForm(FlaskForm):
    name = name_field()
    profession = SelectField(_l("Profession"), choices=profession_choices)
    timezone = timezone_field()
    locale = SelectField(_l("Language"), choices=locale_choices, validators=[Optional()])
    password, confirm = new_password_fields()


class ProfileForm(FlaskForm):
    name = name_field()
    profession = SelectField(_l("Profession"), choices=profession_choices)
    locale = SelectField(_l("Language"), choices=locale_choices, validators=[Optional()])
    timezone = timezone_field()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )
    password, confirm = new_password_fields()


class InviteForm(FlaskForm):
    email = email_field(_l("E-mail address of the person to invite"))
    role = SelectField(_l("Role"))
    institution = SelectField(_l("Institution"), coerce=int)
    # Administrators only: the scope of a funder's or translator's role.
    programme = SelectField(_l("Programme (for funders)"), coerce=int, default=0)
    locale = SelectField(_l("Language (for translators)"), default="")

    def set_choices(self, roles, institutions):
        """Offer only the roles and institutions the inviter may use."""
        self.role.choices = [(role.value, ROLE_LABELS[role]) for role in roles]
        self.institution.choices = [(i.id, i.name) for i in institutions]
        self.programme.choices = [(0, "—")]
        self.locale.choices = [("", "—")]

    def set_scope_choices(self, programmes, languages):
        """Offer programmes and languages (for administrators, who may invite funders)."""
        self.programme.choices = [(0, "—")] + [(p.id, p.name) for p in programmes]
        self.locale.choices = [("", "—")] + languages
