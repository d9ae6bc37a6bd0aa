"""``flask courses validate | import | extract``: the course files' command line."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.courses.content.loader import load_courses
from app.courses.content.problems import CourseFilesInvalid
from app.courses.importer import import_courses
from app.exceptions import ValidationFailed
from app.extensions import db
from app.i18n.workflow import update_content_catalogs

PATH_ARGUMENT = click.argument(
    "path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)


@click.group("courses")
def courses_cli():
    """Check, import and extract the course files."""


def _root(path: Path | None) -> Path:
    return path or Path(current_app.config["COURSES_DIR"])


def _report(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} problem(s) found.", err=True)


@courses_cli.command("validate")
@PATH_ARGUMENT
@with_appcontext
def validate(path: Path | None):
    """Check every course file and catalog; print problems as file:line: message (and
    warnings, which do not fail: stale quiz choices borrowed from other segments)."""
    courses, problems = load_courses(_root(path), current_app.config["LANGUAGES"])
    warnings = {w for course in courses for c in course.catalogs.values() for w in c.warnings}
    for warning in sorted(warnings):
        click.echo(f"{warning.file}:{warning.line}: warning: {warning.message}", err=True)
    if problems:
        _report(problems)
        raise SystemExit(1)
    lessons = sum(len(course.lessons()) for course in courses)
    click.echo(f"{len(courses)} course(s), {lessons} lesson(s): no problems.")


@courses_cli.command("import")
@PATH_ARGUMENT
@with_appcontext
def import_command(path: Path | None):
    """Validate, then load every course in one transaction (safe to run again)."""
    try:
        report = import_courses(_root(path))
    except CourseFilesInvalid as error:
        db.session.rollback()
        _report(error.problems)
        click.echo("Nothing was imported.", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(
        f"Imported {report.imported} course(s); {report.unchanged} unchanged; "
        f"{report.retired} retired."
    )


@courses_cli.command("extract")
@PATH_ARGUMENT
@click.option(
    "--add-locale", "new_locales", multiple=True, help="Also start a catalog for this language."
)
@with_appcontext
def extract(path: Path | None, new_locales: tuple[str, ...]):
    """Write each course's .pot and merge it into its .po files (changes turn fuzzy); the
    content half of ``flask translations update``."""
    registered = current_app.config["LANGUAGES"]
    for locale in new_locales:
        if locale not in registered:
            raise click.BadParameter(f"{locale} is not one of {', '.join(registered)}")
    try:
        written = update_content_catalogs(new=list(new_locales), root=_root(path))
    except ValidationFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{len(written)} content catalog(s) updated.")
