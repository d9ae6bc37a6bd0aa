"""``flask users``: account commands for operators (first administrator, listing)."""

import click
from flask.cli import with_appcontext

from app.auth import services
from app.auth.models import Profession, Role
from app.exceptions import ValidationFailed
from app.extensions import db


@click.group("users")
def users_cli():
    """Manage accounts from the command line."""


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", required=True, help="The administrator's full name.")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create_admin(email: str, name: str, password: str):
    """Create an administrator account (the first one, on a new deployment)."""
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    try:
        services.create_user(email, name, password, Profession.OTHER, roles=(Role.ADMIN,))
    except ValidationFailed as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Administrator {services.normalise_email(email)} created.")
