"""A conference world: a programme's series organised from Stockholm, its participants,
and people outside it."""

from datetime import datetime, timedelta

import pytest

from app.auth.models import Role
from app.conferences import services
from app.conferences.recurrence import build_rule
from app.db_types import utcnow
from app.extensions import db
from tests.factories import make_institution, make_programme, make_user


def series_details(owner, first: datetime, zone="Europe/Stockholm", count=6, **overrides):
    fields = {
        "title": "Luleå–Almaty case conference",
        "description": "Fortnightly.",
        "owner": owner,
        "timezone": zone,
        "starts_local": first,
        "duration_minutes": 90,
        "rrule": build_rule("weekly", 2, first.date(), count, None, zone),
        "meeting_url": "https://meet.jit.si/palliare-test",
    }
    fields.update(overrides)
    return services.SeriesDetails(**fields)


@pytest.fixture(autouse=True)
def files(app, tmp_path, monkeypatch):
    """Attachments go to a folder of this test's own (app/storage.py); returns the store."""
    from app.storage import file_store

    monkeypatch.setitem(app.config, "STORAGE_URL", f"file://{tmp_path / 'files'}")
    return file_store()


@pytest.fixture
def world(app):
    here = make_institution(default_locale="en", timezone="Asia/Almaty")
    elsewhere = make_institution(default_locale="en", country="SE", timezone="Europe/Stockholm")
    programme = make_programme([here])
    people = {
        "organiser": make_user(roles=[Role.TRAINER], institution=here, name="Olga Organiser"),
        "clinician": make_user(institution=here, name="Clara Clinician"),
        "colleague": make_user(institution=here, name="Colin Colleague"),
        "outsider": make_user(institution=elsewhere, name="Otto Outsider"),
        "admin": make_user(roles=[Role.ADMIN]),
    }
    tomorrow = (utcnow() + timedelta(days=1)).replace(tzinfo=None)
    first = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 15, 0)
    series = services.create_series(
        people["organiser"], series_details(("programme", programme.id), first)
    )
    services.join_series(people["clinician"], series)
    services.join_series(people["colleague"], series)
    db.session.commit()
    return {"here": here, "programme": programme, "series": series, **people}
