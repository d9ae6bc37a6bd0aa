"""Languages: locale selection, catalogs, and the translators' pages and commands."""

from flask import Blueprint

from app.i18n import models  # noqa: F401  (catalog revisions: tables for the migrations)

bp = Blueprint("translate", __name__)
