"""Cohorts, enrolment by code or CSV, reminders, on-site workshops, trainer certification
and the train-the-trainer cascade."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__)
