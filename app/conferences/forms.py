"""Forms for conference series and occurrence changes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.conferences.safe_text import clean_url
from app.forms import TimeZoneField

REQUIRED = _l("This field is required.")


def _at_most(maximum: int) -> Length:
    return Length(max=maximum, message=_l("At most %(max)d characters."))


def _web_address(form, field) -> None:
    """An https address with a host, on one line: no space, tab, line break or control
    character anywhere (a line break would split the calendar line that carries it). The
    form says https as the series rule does, so the person gets one message, not two."""
    if field.data and clean_url(field.data, schemes=("https",)) is None:
        raise ValidationError(
            _l("Enter a web address starting with https:// on one line, without spaces.")
        )


def _number(label, low, high, default):
    message = _l("Enter a number from %(min)d to %(max)d.")
    return IntegerField(
        label,
        default=default,
        validators=[InputRequired(_l("Enter a whole number.")), NumberRange(low, high, message)],
    )


class SeriesForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), _at_most(200)])
    description = TextAreaField(_l("Description and audience"), validators=[_at_most(5000)])
    owner = SelectField(_l("Belongs to"))
    timezone = TimeZoneField(_l("The organiser's time zone"))
    starts_local = DateTimeLocalField(
        _l("First session (the organiser's local time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter a date and time."))],
    )
    duration_minutes = _number(_l("Length in minutes"), 15, 480, 90)
    frequency = SelectField(
        _l("Repeats"),
        choices=[
            ("weekly", _l("Every N weeks, same weekday")),
            ("monthly", _l("Every N months, same weekday of the month")),
        ],
    )
    interval = _number(_l("N (every how many weeks or months)"), 1, 12, 2)
    count = IntegerField(
        _l("Number of sessions"),
        validators=[Optional(), NumberRange(1, 500, _l("Enter a number from %(min)d to %(max)d."))],
    )
    until = DateField(_l("…or until (a date)"), validators=[Optional()])
    meeting_url = URLField(
        _l("Video meeting link (Jitsi, Zoom, Teams…)"),
        validators=[DataRequired(REQUIRED), _at_most(500), _web_address],
    )
    max_cases = _number(_l("Cases per session"), 1, 10, 3)


class ChangeForm(FlaskForm):
    cancelled = BooleanField(_l("Cancel this session"))
    new_start = DateTimeLocalField(
        _l("…or move it to (the organiser's local time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )
    note = StringField(_l("Note for participants"), validators=[_at_most(500)])
