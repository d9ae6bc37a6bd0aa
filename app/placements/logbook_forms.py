"""Forms of the logbook: a day's entry, a comment on it and a week's check-in. The limits
are the services' (app/placements/logbook.py), which check everything again."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.forms import REQUIRED, at_most
from app.placements.logbook import ACTIVITY_KINDS, MAX_NOTE, MAX_REFLECTION, REFLECTION

ROWS = 4  # activity rows on the page; logbook.js may add more


class ActivityRow(Form):
    """One activity of the day: what (a select) and how long (quarter hours)."""

    kind = SelectField(_l("Activity"), validate_choice=False)
    hours = StringField(
        _l("Hours"),
        validators=[Optional()],
        render_kw={
            "type": "number",
            "step": "0.25",
            "min": "0.25",
            "max": "12",
            "inputmode": "decimal",
        },
    )


class EntryForm(FlaskForm):
    activities = FieldList(FormField(ActivityRow), min_entries=ROWS)
    saw = TextAreaField(
        _l("What I saw"),
        validators=[at_most(MAX_REFLECTION)],
        description=_l("A situation, a meeting, a way of working: what happened, who did what."),
        render_kw={"rows": 5},
    )
    learned = TextAreaField(
        _l("What I learned"),
        validators=[at_most(MAX_REFLECTION)],
        description=_l("What was new to you, or what you now understand differently."),
        render_kw={"rows": 4},
    )
    adapt = TextAreaField(
        _l("What I would adapt at home"),
        validators=[at_most(MAX_REFLECTION)],
        description=_l("What could work in your own team, and what it would need there."),
        render_kw={"rows": 4},
    )
    client_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_errors: list[str] = []  # the services' word on the rows as a whole
        choices = [("", "—")] + [(code, label) for code, label in ACTIVITY_KINDS.items()]
        for row in self.activities:
            row.form.kind.choices = choices
        if not self.client_key.data:
            # Made when the form is shown: the same form sent twice is the same save.
            self.client_key.data = secrets.token_urlsafe(24)

    def rows(self) -> list[tuple[str, str]]:
        return [(row.form.kind.data or "", row.form.hours.data or "") for row in self.activities]

    def messages(self) -> list[str]:
        """Every error of the form, each after its field's label (a device's outbox is
        told them in one line); the guard's findings name their field already."""
        messages = [str(message) for message in self.activity_errors]
        for field in self:
            for message in _flat(field.errors):
                named = field.name in REFLECTION
                messages.append(str(message) if named else f"{field.label.text}: {message}")
        return messages or [str(_l("The form could not be saved."))]


def _flat(errors):
    """The messages of a field's errors (a list of rows' dicts for the activities)."""
    if isinstance(errors, dict):
        errors = list(errors.values())
    for error in errors or ():
        if isinstance(error, (list, tuple, dict)):
            yield from _flat(error)
        elif error:
            yield error


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(REQUIRED), at_most(MAX_NOTE)],
        render_kw={"rows": 3},
    )


class CheckInForm(FlaskForm):
    note = TextAreaField(
        _l("Note"),
        validators=[DataRequired(REQUIRED), at_most(MAX_NOTE)],
        description=_l("How the week went, what to focus on next week. Both of you can edit it."),
        render_kw={"rows": 6},
    )
