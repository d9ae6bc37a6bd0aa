"""Form pieces every package uses: the required-field message, length limits, a text
field, checkboxes for several choices, and showing a refused action on its form."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.extensions import db
from app.locales import suggested_timezones, timezone_choices

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


class TimeZoneField(SelectField):
    """A time zone: every common zone grouped by region and labelled with its city and
    offset, with a "Suggested" group first (``blank_label`` for "none", the current value,
    the viewer's institution's zone and ``suggest``, which a view may set)."""

    def __init__(self, label=None, validators=None, blank_label=None, **kwargs):
        self.blank_label = blank_label
        self.suggest: list[str] = []
        super().__init__(label, validators, **kwargs)

    @property
    def choices(self) -> dict[str, list]:
        # Built when read, not at class definition: the labels follow the viewer's
        # language, and the suggestions the value being edited.
        suggested = [self.data, *self.suggest, *suggested_timezones()]
        return timezone_choices(suggested, blank=self.blank_label)

    @choices.setter
    def choices(self, _value) -> None:
        """SelectField's constructor sets choices; they are always built as above."""


def show_on_form(form, error, default_field: str) -> None:
    """A service refused the form's action (ValidationFailed, PermissionDenied): undo
    what it wrote and show its message on the field it names, else ``default_field``."""
    db.session.rollback()
    getattr(form, getattr(error, "field", None) or default_field).errors.append(str(error))
