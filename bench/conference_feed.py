"""Case-conference feed and series page.

Targets (issue 6): the .ics feed of a three-year fortnightly series with 50 exceptions
(cancelled or moved sessions) is generated in at most 50 ms; the series page renders in
at most 30 ms server time.
"""

import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from common import (
    freeze_like_production,
    fresh_app,
    percentile,
    session_cookie,
    summary,
    timed,
    use_session,
)
from sqlalchemy import insert

from app.auth.models import Profession, Role, RoleAssignment, User
from app.auth.passwords import hash_password
from app.conferences import services
from app.conferences.calendar import calendar_for
from app.conferences.models import SeriesParticipant
from app.conferences.recurrence import build_rule, occurrences
from app.db_types import utcnow
from app.extensions import db
from app.institutions.models import Institution, Programme

FEED_TARGET_MS, PAGE_TARGET_MS = 50, 30
RUNS, PARTICIPANTS = 60, 200


def populate():
    """A programme, an organiser in Stockholm, a 3-year fortnightly series (78 sessions)
    with 50 exceptions (25 cancelled, 25 moved) and 200 participants."""
    institution = Institution(name="Luleå", country="SE", city="Luleå",
                              timezone="Europe/Stockholm", default_locale="sv")  # fmt: skip
    db.session.add(institution)
    programme = Programme(name="P", funding_organisation="F", target_trainees=100,
                          starts_on=datetime(2026, 1, 1).date(), ends_on=datetime(2029, 1, 1).date(),
                          institutions=[institution])  # fmt: skip
    db.session.add(programme)
    password = hash_password("palliare-demo")
    now = utcnow()
    db.session.execute(insert(User), [
        {"email": f"p{i}@example.org", "name": f"Participant {i}", "password_hash": password,
         "profession": Profession.DOCTOR, "active": True, "session_version": 1, "created_at": now,
         "institution_id": None}
        for i in range(PARTICIPANTS + 1)
    ])  # fmt: skip
    organiser = db.session.scalar(db.select(User).where(User.email == "p0@example.org"))
    organiser.institution = institution
    organiser.role_assignments.append(RoleAssignment(role=Role.TRAINER))  # seen by its rules
    db.session.flush()
    start = datetime(2026, 1, 8, 15, 0)
    details = services.SeriesDetails(
        title="Three-year series", description="Fortnightly.", owner=("programme", programme.id),
        timezone="Europe/Stockholm", starts_local=start, duration_minutes=90,
        rrule=build_rule("weekly", 2, start.date(), 78, None, "Europe/Stockholm"),
        meeting_url="https://meet.jit.si/bench",
    )  # fmt: skip
    series = services.create_series(organiser, details)
    ids = db.session.scalars(db.select(User.id).where(User.id != organiser.id)).all()
    db.session.execute(insert(SeriesParticipant), [
        {"series_id": series.id, "user_id": uid, "panel": False, "joined_at": now} for uid in ids
    ])  # fmt: skip
    for n, occurrence in enumerate(occurrences(series)[:50]):
        moved = occurrence.original_start + timedelta(days=1) if n % 2 else None
        local = (
            moved.astimezone(ZoneInfo("Europe/Stockholm")).replace(tzinfo=None) if moved else None
        )
        services.change_occurrence(
            organiser, series, occurrence.original_start, not moved, local, "Changed"
        )
    db.session.commit()
    return series, organiser.id


def report(label, times, target) -> bool:
    print(summary(label, times))
    p95 = percentile([t * 1000 for t in times], 0.95)
    print(f"{label} p95 target {target} ms: {'met' if p95 <= target else 'MISSED'} "
          f"({p95:.2f} / {target} = {p95 / target:.2f})")  # fmt: skip
    return p95 <= target


def main() -> int:
    app, _folder = fresh_app(SERVER_NAME="palliare.bench")
    with app.app_context():
        series, organiser_id = populate()
        ics = calendar_for([series], series.title)
        assert len(occurrences(series)) == 78 and len(series.changes) == 50
        print(f"feed: {len(ics) / 1024:.1f} KB, 78 sessions, 50 exceptions")
        cookie, _token = session_cookie(app, f"{organiser_id}.1")
        freeze_like_production()
        feed_times = [timed(lambda: calendar_for([series], series.title)) for _ in range(RUNS)]
    client = app.test_client()
    use_session(client, app, cookie)
    url = f"/conferences/{series.id}"
    assert client.get(url).status_code == 200
    for _ in range(5):
        client.get(url)
    page_times = [timed(lambda: client.get(url)) for _ in range(RUNS)]
    ok = report(".ics feed, 3 years fortnightly, 50 exceptions", feed_times, FEED_TARGET_MS)
    ok &= report(f"series page, {PARTICIPANTS} participants", page_times, PAGE_TARGET_MS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
