"""Accounts: sign-in, invitations, password reset, profile, roles and access policies."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
