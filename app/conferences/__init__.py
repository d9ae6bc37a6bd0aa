"""Case conferences: recurring series across time zones, calendar feeds, de-identified
case submissions, the agenda, attendance and reminders."""

from flask import Blueprint

bp = Blueprint("conferences", __name__)
