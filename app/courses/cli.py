"""``flask courses validate | import``: the course files' command line (``flask courses
extract`` is the translation workflow's: ``app/i18n/cli.py``)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.courses.content.loader import load_courses
from app.courses.content.problems import CourseFilesInvalid
from app.courses.importer import import_courses
from app.extensions import db

PATH_ARGUMENT = click.argument(
    "path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)


@click.group("courses")
def courses_cli():
    """Check, import and extract the course files."""


def course_root(path: Path | None) -> Path:
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
    courses, problems = load_courses(course_root(path), current_app.config["LANGUAGES"])
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
        report = import_courses(course_root(path))
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
