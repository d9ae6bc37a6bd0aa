"""Forms for certifying trainers and revoking certifications."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from app.forms import REQUIRED, at_most


class CertifyForm(FlaskForm):
    observed_on = DateField(
        _l("Teaching practice observed on"), validators=[InputRequired(_l("Enter a date."))]
    )
    notes = TextAreaField(
        _l("Notes on the observed teaching"),
        validators=[at_most(5000)],
    )


class MasterTrainerForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(REQUIRED), at_most(254)])
    notes = TextAreaField(_l("Notes"), validators=[at_most(5000)])


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(REQUIRED), at_most(2000)])
