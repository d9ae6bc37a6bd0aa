"""Languages: locale selection, catalogs, and the translators' pages and commands."""

from flask import Blueprint

bp = Blueprint("translate", __name__)
