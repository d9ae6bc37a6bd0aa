"""Institutions and programmes: their rows and the rules for saving them. The pages that
show and edit them are in ``app/admin/institution_views.py``: they need auth, and auth
sits above this package (a user belongs to an institution)."""


def init_app(app) -> None:
    """Register this package with ``app``: its tables."""
    from app.institutions import models  # noqa: F401  (tables)
