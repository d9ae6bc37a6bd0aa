"""Access to a series follows what a person is now: someone who left the cohort or the
institution that owns it, or an organiser who lost every organising role, loses it at
once (issue 14: access to case conferences was never taken away)."""

from app.auth.models import Role
from app.conferences import queries
from app.extensions import db
from tests.factories import make_institution
from tests.helpers import text_of


def _leave(world, person):
    person.institution = make_institution(default_locale="en")  # moved to another hospital
    db.session.commit()


def test_a_participant_who_moved_institution_no_longer_sees_the_series(world, client, login):
    clinician, series = world["clinician"], world["series"]
    login(clinician)
    assert client.get(f"/conferences/{series.id}").status_code == 200
    _leave(world, clinician)
    assert client.get(f"/conferences/{series.id}").status_code == 404
    assert series not in queries.list_series_for(clinician)
    assert series.title not in text_of(client.get("/conferences/"))


def test_a_participant_who_moved_can_submit_no_case(world, client, login):
    clinician, series = world["clinician"], world["series"]
    _leave(world, clinician)
    login(clinician)
    response = client.get(f"/conferences/{series.id}/cases/new")
    assert response.status_code == 404


def test_an_organiser_who_lost_every_organising_role_loses_the_series(world, client, login):
    organiser, series = world["organiser"], world["series"]
    login(organiser)
    assert client.get(f"/conferences/{series.id}/edit").status_code == 200
    for assignment in list(organiser.role_assignments):
        if assignment.role == Role.TRAINER:
            db.session.delete(assignment)
    db.session.commit()
    db.session.refresh(organiser)
    assert client.get(f"/conferences/{series.id}/edit").status_code in (403, 404)
    _leave(world, organiser)
    assert client.get(f"/conferences/{series.id}").status_code == 404
    assert series not in queries.list_series_for(organiser)
