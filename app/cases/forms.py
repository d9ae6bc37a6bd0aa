"""Forms for cases and the panel's recommendation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from app.cases.attachments import check_uploads
from app.cases.services import AGE_BANDS
from app.exceptions import ValidationFailed
from app.forms import REQUIRED, at_most


def _few_and_small(form, field) -> None:
    """At most three files of at most 5 MB each, checked before any file is opened."""
    try:
        check_uploads([upload for upload in field.data or [] if upload.filename])
    except ValidationFailed as error:
        raise ValidationError(str(error)) from None


class CaseForm(FlaskForm):
    occurrence = SelectField(_l("Session"))
    age_band = SelectField(_l("Age band"), choices=[(band, band) for band in AGE_BANDS])
    sex = SelectField(
        _l("Sex"),
        choices=[
            ("female", _l("Female")),
            ("male", _l("Male")),
            ("other", _l("Other")),
            ("unknown", _l("Not stated")),
        ],
    )
    diagnosis = TextAreaField(_l("Diagnosis"), validators=[DataRequired(REQUIRED), at_most(3000)])
    symptoms_and_medicines = TextAreaField(
        _l("Current symptoms and medicines"), validators=[DataRequired(REQUIRED), at_most(5000)]
    )
    context = TextAreaField(
        _l("Psychosocial and family context"), validators=[DataRequired(REQUIRED), at_most(5000)]
    )
    goals_of_care = TextAreaField(
        _l("Goals of care"), validators=[DataRequired(REQUIRED), at_most(3000)]
    )
    question = TextAreaField(
        _l("Your question for the panel"), validators=[DataRequired(REQUIRED), at_most(2000)]
    )
    attachments = MultipleFileField(
        _l("Attachments (PDF, JPEG or PNG; up to 3, 5 MB each)"),
        description=_l("Images are stored without their metadata. Remove names from scans."),
        validators=[_few_and_small],
    )


class RecommendationForm(FlaskForm):
    recommendation = TextAreaField(
        _l("The panel's recommendation"), validators=[DataRequired(REQUIRED), at_most(5000)]
    )
