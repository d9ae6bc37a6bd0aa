"""Cases submitted to a case conference's session: the submission and its
de-identification guard, attachments (images re-encoded without their metadata), the
case pages, the organisers' agenda and the panel's recommendation."""

from flask import Blueprint

bp = Blueprint("cases", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint, its rule, its tables, the case
    lists the conference pages show, and ``flask conferences scan-text``."""
    from app.cases import access, models, views  # noqa: F401
    from app.cases.cli import scan_text_command
    from app.cases.queries import agenda_for, list_cases_of, queue_for, series_has_cases
    from app.conferences.agenda import CaseLists, register_case_lists
    from app.conferences.cli import conferences_cli

    lists = CaseLists(
        agenda=agenda_for, queue=queue_for, submitted_by=list_cases_of, any_in=series_has_cases
    )
    register_case_lists(lists)
    conferences_cli.add_command(scan_text_command)
    app.register_blueprint(bp)
