"""Forms for writing, reviewing, publishing and adapting protocols."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.forms import REQUIRED, at_most, text_field

DATE = _l("Enter a date.")


class ProtocolForm(FlaskForm):
    """A new protocol, or an adaptation of one."""

    title = text_field(_l("Title"), 200)
    programme = SelectField(_l("Programme"), coerce=int)
    review_by = DateField(_l("Review by"), validators=[InputRequired(DATE)])
    scope = TextAreaField(
        _l("Scope"),
        description=_l("Who and what it covers (Markdown)."),
        validators=[Optional(), at_most(5000)],
    )
    authors = TextAreaField(
        _l("Other authors' e-mail addresses"),
        description=_l(
            "One a line; each must work at an institution of the programme. You are an "
            "author already."
        ),
        validators=[Optional(), at_most(5000)],
    )


class DetailsForm(FlaskForm):
    title = text_field(_l("Title"), 200)
    review_by = DateField(_l("Review by"), validators=[InputRequired(DATE)])
    scope = TextAreaField(_l("Scope"), validators=[Optional(), at_most(5000)])


class SectionForm(FlaskForm):
    heading = text_field(_l("Heading"), 200)
    body = TextAreaField(
        _l("Text"),
        description=_l(
            "Markdown: ## subheadings, lists, **bold**, tables. Put every dose, conversion "
            "and route in a block that starts with “::: dose” and ends with “:::”: a dose "
            "outside such a block is refused, so that translations always check it. HTML "
            "is not allowed."
        ),
        validators=[Optional(), at_most(50_000)],
    )


class ReviewerForm(FlaskForm):
    email = StringField(
        _l("Reviewer's e-mail address"), validators=[DataRequired(REQUIRED), at_most(254)]
    )


class AuthorForm(FlaskForm):
    email = StringField(
        _l("Author's e-mail address"), validators=[DataRequired(REQUIRED), at_most(254)]
    )


class RequirementForm(FlaskForm):
    country = StringField(_l("Country (two letters)"), validators=[Optional(), at_most(2)])
    institution = SelectField(_l("or institution"), coerce=int, default=0)
    count = IntegerField(
        _l("Approvals needed"),
        default=1,
        validators=[
            InputRequired(_l("Enter a whole number.")),
            NumberRange(min=1, max=20, message=_l("Enter a number from 1 to 20.")),
        ],
    )


class PublishForm(FlaskForm):
    effective_on = DateField(_l("Effective from"), validators=[Optional()])
    change_log = TextAreaField(
        _l("Change log"),
        description=_l("What changed since the last version (required from version 2 on)."),
        validators=[Optional(), at_most(10_000)],
    )


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(REQUIRED), at_most(5000)])


class ProposalForm(FlaskForm):
    base_body = HiddenField()
    body = TextAreaField(_l("Proposed text"), validators=[Optional(), at_most(50_000)])
    reason = TextAreaField(_l("Why"), validators=[Optional(), at_most(5000)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Why not"), validators=[DataRequired(REQUIRED), at_most(5000)])


class DifferenceForm(FlaskForm):
    reason = TextAreaField(
        _l("Why this section differs from the source"), validators=[Optional(), at_most(5000)]
    )
