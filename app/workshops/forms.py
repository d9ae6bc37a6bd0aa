"""Forms for workshops and their sessions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from app.forms import CheckboxesField, at_most, text_field


class WorkshopForm(FlaskForm):
    title = text_field(_l("Title"), 200)
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
    place = text_field(_l("Place"), 200)
    agenda = TextAreaField(_l("Agenda"), validators=[at_most(5000)])
    facilitators = CheckboxesField(_l("Facilitators"), coerce=int)
