"""Quizzes: attempts, scoring, pre/post knowledge tests, completion and certificates."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__)
