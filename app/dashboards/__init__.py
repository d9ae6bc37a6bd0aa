"""Dashboards: reporting figures for programmes (aggregates only), with suppression of
small counts, charts and exports. Nothing imports this package."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)
