"""Forms for placement offers and the steps of a placement."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.forms import REQUIRED, CheckboxesField, at_most, text_field

WHOLE_NUMBER = _l("Enter a whole number.")


class OfferForm(FlaskForm):
    title = text_field(_l("Title"), 200)
    host = SelectField(_l("Host institution"), coerce=int)
    programme = SelectField(_l("Programme"), coerce=int)
    window_starts_on = DateField(
        _l("First possible day"), validators=[InputRequired(_l("Enter a date."))]
    )
    window_ends_on = DateField(
        _l("Last possible day"), validators=[InputRequired(_l("Enter a date."))]
    )
    fixed_dates = BooleanField(_l("Fixed dates: every observer starts on the first day"))
    length_days = IntegerField(
        _l("Length in days"),
        default=14,
        validators=[
            InputRequired(WHOLE_NUMBER),
            NumberRange(min=1, max=366, message=_l("Enter a number from 1 to 366.")),
        ],
    )
    places = IntegerField(
        _l("Places"),
        default=2,
        validators=[
            InputRequired(WHOLE_NUMBER),
            NumberRange(min=1, max=500, message=_l("Enter a number from 1 to 500.")),
        ],
    )
    supervision_locale = SelectField(_l("Language of supervision"))
    activities = CheckboxesField(_l("What the observer will see"))
    prerequisite = SelectField(_l("Course to complete first (optional)"), coerce=int)
    supervisors = TextAreaField(
        _l("Supervisors' e-mail addresses"),
        description=_l("One a line; each must work at the host institution."),
        validators=[DataRequired(REQUIRED), at_most(5000)],
    )


class NominateForm(FlaskForm):
    person = SelectField(_l("Person to nominate"), coerce=int)


class AcceptForm(FlaskForm):
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Enter a date."))])
    supervisor = SelectField(_l("Supervisor"), coerce=int)


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("The people concerned will read it."),
        validators=[Optional(), at_most(2000)],
    )
