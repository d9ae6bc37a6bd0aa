"""Forms for cohorts, rosters and co-trainers."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange

from app.forms import REQUIRED, CheckboxesField, at_most, text_field


class CohortForm(FlaskForm):
    name = text_field(_l("Name"), 200)
    institution = SelectField(_l("Institution"), coerce=int)
    courses = CheckboxesField(_l("Courses"), coerce=int)
    locale = SelectField(_l("Teaching language"))
    starts_on = DateField(_l("Starts on"), validators=[InputRequired(_l("Enter a date."))])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired(_l("Enter a date."))])
    capacity = IntegerField(
        _l("Capacity"),
        default=30,
        validators=[
            InputRequired(_l("Enter a whole number.")),
            NumberRange(min=1, max=5000, message=_l("Enter a number from 1 to 5000.")),
        ],
    )
    inactive_days = IntegerField(
        _l("Flag learners inactive for this many days"),
        default=14,
        validators=[
            InputRequired(_l("Enter a whole number.")),
            NumberRange(min=1, max=365, message=_l("Enter a number from 1 to 365.")),
        ],
    )
    members_visible = BooleanField(_l("Members may see each other's names"))


class RosterForm(FlaskForm):
    roster = FileField(
        _l("Roster file (CSV, UTF-8)"),
        description=_l("Columns: email, name, profession, institution. One learner per row."),
        validators=[FileRequired(_l("Choose a file."))],
    )


class JoinCodeForm(FlaskForm):
    code = text_field(_l("Cohort code"), 20)


class TrainerForm(FlaskForm):
    email = EmailField(
        _l("Co-trainer's e-mail address"),
        validators=[DataRequired(REQUIRED), at_most(254)],
    )
