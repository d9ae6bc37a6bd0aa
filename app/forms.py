"""Form pieces every package uses: the required-field message, length limits, a text
field, checkboxes for several choices, and showing a refused action on its form."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.extensions import db

REQUIRED = _l("This field is required.")


def at_most(maximum: int) -> Length:
    return Length(max=maximum, message=_l("At most %(max)d characters."))


def text_field(label, maximum: int, required: bool = True) -> StringField:
    validators = [DataRequired(REQUIRED) if required else Optional(), at_most(maximum)]
    return StringField(label, validators=validators)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (easier on a phone than a multiple select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def show_on_form(form, error, default_field: str) -> None:
    """A service refused the form's action (ValidationFailed, PermissionDenied): undo
    what it wrote and show its message on the field it names, else ``default_field``."""
    db.session.rollback()
    getattr(form, getattr(error, "field", None) or default_field).errors.append(str(error))
