"""``flask translations add | update | compile | status`` and ``flask courses extract``: a
translator's commands."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.courses.cli import PATH_ARGUMENT, course_root
from app.exceptions import ValidationFailed
from app.i18n import pseudo, revisions, workflow

translations_cli = AppGroup("translations", help="Interface and course-content catalogs.")


def _refused(error: ValidationFailed):
    raise click.ClickException(str(error))


@translations_cli.command("add")
@click.argument("locale")
@click.option(
    "--fallback",
    "fallbacks",
    multiple=True,
    help="A registered language whose content fills untranslated passages.",
)
def add_command(locale: str, fallbacks: tuple[str, ...]):
    """Start LOCALE: interface and content catalogs, and its entry in the registry."""
    try:
        made = workflow.add_locale(locale, list(fallbacks))
    except ValidationFailed as error:
        _refused(error)
    root = Path(current_app.root_path).parent
    for path in made:
        click.echo(f"created {path.relative_to(root) if root in path.parents else path}")
    threshold = current_app.config["LANGUAGE_SWITCHER_MIN_COVERAGE"]
    click.echo(
        f"Registered in translations/locales.yaml; the language switcher offers it once "
        f"{threshold}% of the interface is translated."
    )


@translations_cli.command("update")
def update_command():
    """Re-extract interface strings and course segments and merge them into every
    catalog (changed source text turns fuzzy, never dropped)."""
    workflow.update_interface_catalogs(Path(current_app.root_path).parent)
    try:
        written = workflow.update_content_catalogs()
    except ValidationFailed as error:
        _refused(error)
    click.echo(f"Interface catalogs updated; {len(written)} content catalog(s) updated.")


@translations_cli.command("compile")
def compile_command():
    """Compile the interface catalogs (.po → .mo)."""
    workflow.compile_interface_catalogs()


@translations_cli.command("pseudo")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write (default: instance/pseudo-translations).",
)
def pseudo_command(output: Path | None):
    """Write a copy of the catalogs whose English is the pseudo-locale (accented, 30%
    longer, in ⟦ ⟧): any plain text left on a page cannot be translated."""
    source = workflow.interface_dir()
    output = output or Path(current_app.instance_path) / "pseudo-translations"
    pseudo.write_pseudo_translations(source, output)
    click.echo(
        f"Pseudo-locale written to {output}. See it with:\n"
        f"  BABEL_TRANSLATION_DIRECTORIES={output} make run"
    )


@translations_cli.command("export")
@click.option("--course", "course_key", default=None, help="Only this course (its id).")
@click.option("--locale", default=None, help="Only this language.")
def export_command(course_key: str | None, locale: str | None):
    """Write the latest catalog revisions (translators' uploads, in the database) into
    courses/<course>/translations/<locale>.po, to be reviewed and merged in a pull
    request. Running it again writes nothing new."""
    root = Path(current_app.config["COURSES_DIR"])
    done = revisions.export_revisions(root, course_key, locale)
    for item in done:
        where = item.path.relative_to(root.parent)
        revision = item.revision
        by = revision.uploaded_by.email if revision.uploaded_by else "-"
        about = f"revision {revision.id}, {revision.created_at:%Y-%m-%d %H:%M} UTC, by {by}"
        click.echo(f"{'wrote' if item.written else 'up to date':10} {where} ({about})")
    if not done:
        click.echo("No catalog revisions to export.")


@translations_cli.command("status")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON: per locale, the interface and each course's counts.",
)
def status_command(as_json: bool):
    """Per locale: the interface and each course, translated / stale / missing; lessons
    held back for safety-critical text first."""
    try:
        held, parts = workflow.coverage_report()
        statuses = workflow.course_statuses() if as_json else []
    except ValidationFailed as error:
        _refused(error)
    if as_json:
        click.echo(json.dumps(_status_json(parts, statuses), ensure_ascii=False, indent=2))
        return
    if held:
        click.echo(
            "Lessons shown in another language: a safety-critical segment (dose, "
            "conversion, route) is stale or missing"
        )
        for item in held:
            click.echo(
                f"  {item.locale:8} {item.course}/{item.lesson} -> shown in "
                f"{item.shown_in} ({item.stale} stale, {item.missing} missing)"
            )
        click.echo("")
    click.echo(f"{'catalog':50} {'translated':>16} {'stale':>14} {'missing':>14}")
    for part in parts:
        name = part.locale if "/" in part.locale else f"{part.locale}/interface"
        translated, stale, missing = (
            _share(count, part.total) for count in (part.translated, part.fuzzy, part.missing)
        )
        click.echo(f"{name:50} {translated:>16} {stale:>14} {missing:>14}")


def _status_json(parts, statuses) -> dict:
    """``{"locales": {locale: {"interface": {…}, "courses": {course: {…}}}}}``: counts of
    segments (messages for the interface); stale is fuzzy; safety-critical ones apart."""
    locales: dict[str, dict] = {}
    for part in parts:
        if "/" not in part.locale:
            locales.setdefault(part.locale, {"interface": {}, "courses": {}})["interface"] = {
                "total": part.total,
                "translated": part.translated,
                "stale": part.fuzzy,
                "missing": part.missing,
            }
    for status in statuses:
        entry = locales.setdefault(status.locale, {"interface": {}, "courses": {}})
        entry["courses"][status.course] = status.as_dict()
    return {"locales": locales}


def _share(count: int, total: int) -> str:
    return f"{count} ({100 * count / total:.0f}%)" if total else "0"


# Added to ``flask courses`` by this package's init_app: the content half of
# ``flask translations update``.
@click.command("extract")
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
        written = workflow.update_content_catalogs(new=list(new_locales), root=course_root(path))
    except ValidationFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{len(written)} content catalog(s) updated.")
