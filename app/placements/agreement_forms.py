"""Forms of the learning agreement (six rows of objectives), of the assessments (one
rating per objective) and of a competency added to the list. The rules the data must
keep live in the services (agreement.py, assessment.py, competencies.py); the forms read
the input and limit its length."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from app.forms import at_most, text_field
from app.placements.agreement import MAX_OBJECTIVES, MAX_TEXT
from app.placements.assessment import ENTRUSTMENT, MAX_COMMENT
from app.placements.competencies import MAX_TITLE


class ObjectiveRow(Form):
    """One objective: a competency's code (the page draws the grouped list) or one's own
    words. Not a FlaskForm: the form around the rows carries the CSRF token."""

    competency = StringField(_l("From the competency list"))
    text = StringField(_l("Or in your own words"), validators=[Optional(), at_most(MAX_TEXT)])


class ObjectivesForm(FlaskForm):
    objectives = FieldList(
        FormField(ObjectiveRow), min_entries=MAX_OBJECTIVES, max_entries=MAX_OBJECTIVES
    )


class RatingRow(Form):
    # The level's range is the service's rule (its message names the objective).
    level = RadioField(
        _l("Level"),
        choices=[(str(level), label) for level, label in ENTRUSTMENT.items()],
        validate_choice=False,
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), at_most(MAX_COMMENT)])


class AssessmentForm(FlaskForm):
    ratings = FieldList(FormField(RatingRow))
    days_present = IntegerField(_l("Days present"), validators=[Optional()])
    comment = TextAreaField(
        _l("Overall comment (optional)"), validators=[Optional(), at_most(MAX_COMMENT)]
    )


class CompetencyForm(FlaskForm):
    domain = SelectField(_l("Domain"))
    title = text_field(_l("Competency"), MAX_TITLE)
