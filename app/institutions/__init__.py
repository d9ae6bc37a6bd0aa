"""Institutions and programmes: admin management, the coordinator's and funder's pages."""

from flask import Blueprint

bp = Blueprint("institutions", __name__)
