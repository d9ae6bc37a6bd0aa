"""Forms of the certificate pages: revoking one (with its reason) and finding one."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.forms import REQUIRED, at_most


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        description=_l("Kept with the certificate; the holder and administrators see it."),
        validators=[DataRequired(REQUIRED), at_most(500)],
    )


class CertificateSearchForm(FlaskForm):
    """The administrators' list: a GET form, so it is bookmarkable (no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Holder, e-mail or code"), validators=[Optional(), at_most(200)])
    course = SelectField(_l("Course"), coerce=int, default=0)
    status = SelectField(
        _l("Status"),
        choices=[("", _l("All")), ("valid", _l("Valid")), ("revoked", _l("Revoked"))],
        default="",
    )
