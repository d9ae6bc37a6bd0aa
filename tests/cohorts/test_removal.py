"""Removing learners from a cohort asks first (showing who), and the person who removed
them may put them back, with their progress, for a short while; nobody else, and not
later. Former members have no access meanwhile."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.cohorts import access as cohort_rule
from app.cohorts import queries as cohort_queries
from app.cohorts import services
from app.cohorts.matrix import NOT_STARTED, build_matrix
from app.cohorts.models import CohortMember, MemberRemoval
from app.courses.models import Lesson, LessonProgress
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from tests.helpers import csrf_token, post_form, text_of


def _url(world, path=""):
    return f"/cohorts/{world['cohort'].id}{path}"


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def _remove(client, world, *people, confirmed=True):
    data = {"learner": [world[p].id for p in people]} | ({"confirmed": "1"} if confirmed else {})
    return post_form(client, _url(world, "/members/remove"), data, form_page=_url(world))


def test_removing_asks_first_and_names_who(world, client, login):
    login(world["trainer"])
    response = _remove(client, world, "learner", "classmate", confirmed=False)
    html = text_of(response)
    assert response.status_code == 200 and "Remove 2 learners from the cohort?" in html
    listed = html.split('id="to-remove"', 1)[1].split("</ul>", 1)[0]
    assert "Lena Learner" in listed and "Carl Classmate" in listed
    assert 'name="confirmed" value="1"' in html and "undo this for 15 minutes" in html
    assert cohort_queries.count_members(world["cohort"]) == 2  # asking removed nobody
    nobody = post_form(client, _url(world, "/members/remove"), {}, form_page=_url(world))
    assert nobody.status_code == 303  # nobody chosen: back to the matrix with a word
    assert "Choose the learners to remove." in text_of(client.get(nobody.headers["Location"]))


def test_removal_then_undo_restores_the_membership_and_its_progress(
    world, client, login, trainer_course
):
    cohort, learner = world["cohort"], world["learner"]
    lesson = db.session.scalars(select(Lesson).where(Lesson.course_id == trainer_course.id)).first()
    db.session.add(LessonProgress(user_id=learner.id, lesson_id=lesson.id, completed_at=utcnow()))
    before = cohort_queries.memberships_of(cohort, [learner.id])[0]
    joined, source = before.joined_at, before.source
    db.session.commit()
    cells_before = next(r.cells for r in build_matrix(cohort, utcnow()).rows if r.user == learner)
    assert set(cells_before) != {NOT_STARTED}  # some progress to keep

    login(world["trainer"])
    response = _remove(client, world, "learner")
    assert response.status_code == 303
    page = text_of(client.get(_url(world)))
    assert "1 learner removed from the cohort." in page
    undo = page.split('id="undo"', 1)[1].split("</section>", 1)[0]
    assert "Lena Learner" in undo and "Undo: put them back" in undo
    assert not cohort_rule.is_member(learner, cohort)

    # Meanwhile the former member has no access (seen from their side).
    _logout(client)
    login(learner)
    assert client.get(_url(world)).status_code == 404
    _logout(client)

    login(world["trainer"])
    removal_id = undo.split('name="removal" value="', 1)[1].split('"', 1)[0]
    response = post_form(client, _url(world, "/members/undo"), {"removal": removal_id}, _url(world))
    assert response.status_code == 303
    page = text_of(client.get(_url(world)))
    assert "1 learner is back in the cohort, with their progress." in page
    assert 'id="undo"' not in page  # done: nothing left to undo
    member = cohort_queries.memberships_of(cohort, [learner.id])[0]
    assert member.joined_at == joined and member.source == source
    cells_after = next(r.cells for r in build_matrix(cohort, utcnow()).rows if r.user == learner)
    assert cells_after == cells_before

    _logout(client)
    login(learner)
    assert client.get(_url(world)).status_code == 200  # back in


def test_only_the_person_who_removed_them_can_undo(world, client, login):
    login(world["trainer"])
    _remove(client, world, "learner")
    removal = db.session.scalar(select(MemberRemoval))
    _logout(client)
    login(world["coordinator"])  # runs the cohort too, but did not remove them
    assert 'id="undo"' not in text_of(client.get(_url(world)))
    response = post_form(client, _url(world, "/members/undo"), {"removal": removal.id}, _url(world))
    assert response.status_code == 403 and "Only the person who removed" in text_of(response)
    assert not cohort_rule.is_member(world["learner"], world["cohort"])
    _logout(client)
    login(world["other_trainer"])  # another institution's: the cohort is not theirs to know
    token = csrf_token(client, "/cohorts/")
    response = client.post(
        _url(world, "/members/undo"), data={"csrf_token": token, "removal": removal.id}
    )
    assert response.status_code == 404
    _logout(client)
    login(world["learner"])  # the former member themself
    token = csrf_token(client, "/cohorts/")
    response = client.post(
        _url(world, "/members/undo"), data={"csrf_token": token, "removal": removal.id}
    )
    assert response.status_code == 403  # learners are not cohort staff
    assert not cohort_rule.is_member(world["learner"], world["cohort"])


def test_undo_after_the_window_is_refused_with_a_reason(world, client, login):
    login(world["trainer"])
    _remove(client, world, "learner", "classmate")
    removal = db.session.scalar(select(MemberRemoval))
    removal.removed_at = utcnow() - services.UNDO_WINDOW - timedelta(seconds=1)
    db.session.commit()
    assert 'id="undo"' not in text_of(client.get(_url(world)))  # no longer offered
    response = post_form(client, _url(world, "/members/undo"), {"removal": removal.id}, _url(world))
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    assert "Too late to undo" in page and "roster or the join code" in page
    assert cohort_queries.count_members(world["cohort"]) == 0


def test_undo_happens_once_and_needs_room(world):
    cohort, trainer = world["cohort"], world["trainer"]
    removal = services.remove_members(trainer, cohort, [world["learner"].id])
    services.undo_removal(trainer, cohort, removal)
    with pytest.raises(ValidationFailed, match="already been put back"):
        services.undo_removal(trainer, cohort, removal)
    removal = services.remove_members(trainer, cohort, [world["learner"].id])
    cohort.capacity = 1  # the classmate holds the one place left
    with pytest.raises(ValidationFailed, match="no longer has room"):
        services.undo_removal(trainer, cohort, removal)
    assert services.remove_members(trainer, cohort, [world["outsider"].id]) is None  # no member


def test_a_learner_who_came_back_meanwhile_is_left_as_they_are(world):
    cohort, trainer, learner = world["cohort"], world["trainer"], world["learner"]
    removal = services.remove_members(trainer, cohort, [learner.id, world["classmate"].id])
    services.join_cohort(learner, cohort)  # rejoined with the code
    back = services.undo_removal(trainer, cohort, removal)
    assert [m.user_id for m in back] == [world["classmate"].id]
    members = db.session.scalars(select(CohortMember).where(CohortMember.cohort_id == cohort.id))
    assert sorted(m.user_id for m in members) == sorted([learner.id, world["classmate"].id])


def test_another_cohorts_removal_cannot_be_undone_here(world, trainer_course):
    from tests.factories import make_cohort

    other = make_cohort(world["trainer"], [trainer_course], world["here"], members=[])
    removal = services.remove_members(world["trainer"], world["cohort"], [world["learner"].id])
    with pytest.raises(PermissionDenied):
        services.undo_removal(world["trainer"], other, removal)
    assert cohort_queries.removal_in(other, removal.id) is None
