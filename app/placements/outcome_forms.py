"""Forms of what a placement leads to: what the host learned, the adaptation plan (ten
rows), a follow-up (built per change in its view), revoking a certificate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, FormField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.forms import REQUIRED, at_most
from app.placements.outcomes import MAX_CHANGES, MAX_DESCRIPTION, MAX_HOST_LEARNING, MAX_OWNER


class HostLearningForm(FlaskForm):
    text = TextAreaField(
        _l("What the host team learned from the visitor"),
        description=_l(
            "Practices, tools or ways of working the visitor brought. No patient details."
        ),
        validators=[DataRequired(REQUIRED), at_most(MAX_HOST_LEARNING)],
    )


class ChangeForm(FlaskForm):
    """One row of the plan; blank rows are ignored (the service checks filled ones)."""

    class Meta:
        csrf = False

    description = TextAreaField(_l("Change"), validators=[Optional(), at_most(MAX_DESCRIPTION)])
    owner = StringField(_l("Owner (a name or a role)"), validators=[Optional(), at_most(MAX_OWNER)])
    target_on = DateField(_l("Target date"), validators=[Optional()])


class PlanForm(FlaskForm):
    changes = FieldList(FormField(ChangeForm), min_entries=MAX_CHANGES, max_entries=MAX_CHANGES)


class FollowUpForm(FlaskForm):
    """The CSRF token of the follow-up page: its radio buttons and notes are per change."""


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        description=_l("Kept with the certificate; the holder and administrators see it."),
        validators=[DataRequired(REQUIRED), at_most(500)],
    )
