"""Forms for editing accounts and granting roles."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional

from app.auth.forms import name_field, profession_choices
from app.auth.models import ROLE_LABELS


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search by name or e-mail"), validators=[Optional(), Length(max=100)])


class UserForm(FlaskForm):
    name = name_field()
    profession = SelectField(_l("Profession"), choices=profession_choices)
    institution = SelectField(_l("Institution"), coerce=int)
    active = BooleanField(_l("Account active (may sign in)"))


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    institution = SelectField(_l("Institution (for coordinators)"), coerce=int)
    programme = SelectField(_l("Programme (for funders)"), coerce=int)
    locale = SelectField(_l("Language (for translators)"))
