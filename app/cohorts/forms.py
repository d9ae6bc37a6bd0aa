"""Forms for cohorts, rosters, reminders, workshops and trainer certification."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

REQUIRED = _l("This field is required.")


def _at_most(maximum: int) -> Length:
    return Length(max=maximum, message=_l("At most %(max)d characters."))


def _text(label, maximum, required=True):
    validators = [_at_most(maximum)]
    validators.insert(0, DataRequired(REQUIRED) if required else Optional())
    return StringField(label, validators=validators)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (easier on a phone than a multiple select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CohortForm(FlaskForm):
    name = _text(_l("Name"), 200)
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
    code = _text(_l("Cohort code"), 20)


class TrainerForm(FlaskForm):
    email = EmailField(
        _l("Co-trainer's e-mail address"),
        validators=[DataRequired(REQUIRED), _at_most(254)],
    )


class WorkshopForm(FlaskForm):
    title = _text(_l("Title"), 200)
    course = SelectField(_l("Attendance counts toward"), coerce=int, description=_l("Optional."))


class SessionForm(FlaskForm):
    starts_at = DateTimeLocalField(
        _l("Starts (local time at the institution)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter a date and time."))],
    )
    minutes = IntegerField(
        _l("Length in minutes"),
        default=90,
        validators=[
            InputRequired(_l("Enter a whole number.")),
            NumberRange(min=1, max=1440, message=_l("Enter a number from 1 to 1440.")),
        ],
    )
    place = _text(_l("Place"), 200)
    agenda = TextAreaField(_l("Agenda"), validators=[_at_most(5000)])
    facilitators = CheckboxesField(_l("Facilitators"), coerce=int)


class CertifyForm(FlaskForm):
    observed_on = DateField(
        _l("Teaching practice observed on"), validators=[InputRequired(_l("Enter a date."))]
    )
    notes = TextAreaField(
        _l("Notes on the observed teaching"),
        validators=[_at_most(5000)],
    )


class MasterTrainerForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(REQUIRED), _at_most(254)])
    notes = TextAreaField(_l("Notes"), validators=[_at_most(5000)])


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(REQUIRED), _at_most(2000)])
