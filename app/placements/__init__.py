"""Observerships and exchange placements: a host institution offers placements within a
programme; home coordinators nominate (or people apply and are endorsed); the programme's
administrators select; the host accepts with a start date and a supervisor. The accepted
observer, the host and the administrators download an invitation letter (PDF)."""

from flask import Blueprint

bp = Blueprint("placements", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint and what its modules attach when
    imported (routes, tables, permission rules)."""
    # One view module per part of a placement; cpd and observership_certificates attach
    # the CPD source, the certificate's rule and its /verify lookup.
    from app.placements import (  # noqa: F401
        access,
        agreement_views,
        certificate_views,
        cpd,
        logbook_views,
        models,
        observership_certificates,
        outcome_views,
        views,
    )
    from app.placements.cli import placements_cli

    app.register_blueprint(bp)
    app.cli.add_command(placements_cli)
