"""Forms for institutions and programmes."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import TimeZoneField
from app.institutions.services import is_country


def country_choices():
    """Two-letter country codes with their names in the viewer's language."""
    territories = get_locale().territories
    codes = [code for code in territories if is_country(code)]
    return sorted(((code, territories[code]) for code in codes), key=lambda c: c[1])


def locale_choices():
    from app.locales import language_choices

    return language_choices()


def _text(label, maximum):
    return StringField(
        label,
        validators=[
            DataRequired(_l("This field is required.")),
            Length(max=maximum, message=_l("At most %(max)d characters.")),
        ],
    )


class InstitutionForm(FlaskForm):
    name = _text(_l("Name"), 200)
    country = SelectField(_l("Country"), choices=country_choices)
    city = _text(_l("City"), 120)
    timezone = TimeZoneField(_l("Time zone"))
    default_locale = SelectField(_l("Default language"), choices=locale_choices)


class ProgrammeForm(FlaskForm):
    name = _text(_l("Name"), 200)
    funding_organisation = _text(_l("Funding organisation"), 200)
    target_trainees = IntegerField(
        _l("Target number of trainees"),
        validators=[
            InputRequired(_l("Enter a whole number.")),
            NumberRange(min=1, max=10_000_000, message=_l("Enter a number from 1 upwards.")),
        ],
    )
    starts_on = DateField(_l("Starts on"), validators=[InputRequired(_l("Enter a date."))])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired(_l("Enter a date."))])
    institutions = SelectMultipleField(
        _l("Participating institutions"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
