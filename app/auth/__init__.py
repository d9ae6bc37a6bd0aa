"""Accounts: sign-in, invitations, password reset, profile, roles and access policies."""

from flask import Blueprint

bp = Blueprint("auth", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, commands and what its modules
    attach when imported (routes, tables, completion-rule clauses)."""
    from app.auth import invitation_views, views  # noqa: F401  (routes)
    from app.auth.cli import users_cli

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
