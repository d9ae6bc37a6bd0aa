"""Courses: the content format and loader (files → rows), catalog, lessons, progress."""

from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")
