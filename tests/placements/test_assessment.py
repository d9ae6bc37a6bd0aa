"""The mid-point and final assessments: when they open, what they refuse (nothing
half-written), who is told, the final one completing the placement exactly once — through
the services and over HTTP, from the side of everyone who may not assess.

The accepted placement runs 2–15 March 2030 (14 days): the mid-point is 8 March."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.placements import assessment, days, services
from app.placements.assessment import AssessmentInput, RatingInput, record_assessment
from app.placements.models import Assessment, ObjectiveRating, PlacementStep, Stage, State
from tests.helpers import post_form, text_of
from tests.placements.test_agreement import agreed, notices, signed_in

MID_DAY, LAST_DAY = date(2030, 3, 8), date(2030, 3, 15)


@pytest.fixture
def english(pw):
    """Everyone reads in English (the tests quote the English words)."""
    for person in (pw.admin, pw.home_coordinator, pw.observer, pw.host_coordinator,
                   pw.supervisor):  # fmt: skip
        person.locale = "en"
    db.session.commit()


def good(days=6, levels=(2, 3, 1)) -> AssessmentInput:
    ratings = [RatingInput(level, f"Comment {n}") for n, level in enumerate(levels, start=1)]
    return AssessmentInput(days_present=days, ratings=ratings, comment="Engaged and curious")


def _count(model, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


@pytest.fixture
def ready(pw, accepted):
    """The accepted placement with three agreed objectives."""
    return agreed(pw, accepted)


@pytest.fixture
def assessed(pw, ready):
    """… and its mid-point assessment recorded."""
    record_assessment(pw.supervisor, ready, Stage.MID, good(), MID_DAY)
    db.session.commit()
    return ready


# --- Days -------------------------------------------------------------------------------


def test_the_days_of_a_placement(accepted):
    assert assessment.length_of(accepted) == 14
    assert assessment.midpoint(accepted) == MID_DAY  # the 7th day of 14
    assert assessment.days_so_far(accepted, date(2030, 3, 1)) == 0
    assert assessment.days_so_far(accepted, MID_DAY) == 7
    assert assessment.days_so_far(accepted, date(2030, 5, 1)) == 14
    accepted.ends_on = date(2030, 3, 16)  # 15 days: the 8th is the middle one
    assert assessment.midpoint(accepted) == date(2030, 3, 9)


def test_the_scale_has_five_levels(app):
    assert list(assessment.ENTRUSTMENT) == [1, 2, 3, 4, 5]
    assert str(assessment.ENTRUSTMENT[5]) == "Could supervise others"


# --- The mid-point assessment -----------------------------------------------------------


def test_the_mid_point_assessment_is_recorded_and_told(pw, ready):
    recorded = record_assessment(pw.supervisor, ready, Stage.MID, good(days=7), MID_DAY)
    db.session.commit()
    ratings = {r.objective.position: (r.level, r.comment) for r in recorded.ratings}
    assert ratings == {1: (2, "Comment 1"), 2: (3, "Comment 2"), 3: (1, "Comment 3")}
    assert recorded.days_present == 7 and recorded.assessor_id == pw.supervisor.id
    assert recorded.comment == "Engaged and curious"
    assert [n.params["variant"] for n in notices(pw.observer)] == ["agreed", "assessed_mid"]
    assert len(notices(pw.home_coordinator, "assessed_mid")) == 1
    assert notices(pw.supervisor, "assessed_mid") == [] and notices(pw.host_coordinator) == []
    assert ready.state == State.ACCEPTED


@pytest.mark.parametrize(
    ("today", "words"),
    [(date(2030, 3, 7), "opens on"), (date(2030, 2, 1), "opens on")],
)
def test_not_before_the_mid_point(english, pw, ready, today, words):
    with pytest.raises(ValidationFailed, match=words):
        record_assessment(pw.supervisor, ready, Stage.MID, good(), today)
    assert _count(Assessment) == 0


def test_the_objectives_must_be_agreed_first(english, pw, accepted):
    from app.placements.agreement import set_objectives
    from tests.placements.test_agreement import ROWS

    set_objectives(pw.observer, accepted, ROWS)
    with pytest.raises(ValidationFailed, match="Agree the objectives first"):
        record_assessment(pw.supervisor, accepted, Stage.MID, good(), MID_DAY)
    assert _count(Assessment) == 0


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (good(levels=(2, None, 1)), "ratings-1-level", "Objective 2: choose a level from 1 to 5"),
        (good(levels=(2, 3, 6)), "ratings-2-level", "Objective 3: choose a level"),
        (good(levels=(0, 3, 1)), "ratings-0-level", "Objective 1: choose a level"),
        (good(levels=(2, 3)), "ratings-2-level", "Objective 3"),  # a rating left out
        (AssessmentInput(6, [RatingInput(2), RatingInput(3, "z" * 2001), RatingInput(1)]),
         "ratings-1-comment", "Objective 2: at most 2000 characters"),
        (AssessmentInput(6, good().ratings, "z" * 2001), "comment", "At most 2000 characters"),
        (good(days=None), "days_present", "from 0 to 7"),
        (good(days=-1), "days_present", "from 0 to 7"),
        (good(days=8), "days_present", "from 0 to 7"),  # 7 days so far on the 8th
    ],
)  # fmt: skip
def test_bad_input_is_refused_beside_its_field(english, pw, ready, data, field, words):
    with pytest.raises(ValidationFailed) as refused:
        record_assessment(pw.supervisor, ready, Stage.MID, data, MID_DAY)
    db.session.rollback()
    assert refused.value.field == field and words in str(refused.value)
    assert _count(Assessment) == 0 and _count(ObjectiveRating) == 0
    assert notices(pw.observer, "assessed_mid") == []


def test_the_mid_point_counts_the_days_so_far(pw, ready):
    record_assessment(pw.supervisor, ready, Stage.MID, good(days=10), date(2030, 3, 11))
    assert _count(Assessment, stage=Stage.MID) == 1


def test_the_supervisor_corrects_the_mid_point(pw, assessed):
    record_assessment(pw.supervisor, assessed, Stage.MID, good(days=5, levels=(4, 4, 4)), MID_DAY)
    db.session.commit()
    [mid] = db.session.scalars(select(Assessment)).all()
    assert sorted(r.level for r in mid.ratings) == [4, 4, 4] and mid.days_present == 5
    assert _count(ObjectiveRating) == 3  # the same ratings, changed
    assert [n.params["variant"] for n in notices(pw.observer)][-1] == "corrected_mid"
    assert len(notices(pw.home_coordinator)) == 1  # told once, of the assessment itself


@pytest.mark.parametrize(
    ("who", "hidden"),
    [("observer", False), ("host_coordinator", False), ("home_coordinator", False),
     ("admin", False), ("stranger", True)],
)  # fmt: skip
def test_only_the_supervisor_assesses(pw, ready, who, hidden):
    with pytest.raises(PermissionDenied) as refused:
        record_assessment(getattr(pw, who), ready, Stage.MID, good(), MID_DAY)
    assert refused.value.hidden is hidden
    assert _count(Assessment) == 0
    assert not assessment.may_assess(getattr(pw, who), ready, Stage.MID, MID_DAY)


def test_the_mid_point_assessment_locks_the_objectives(english, pw, assessed):
    from app.placements import agreement

    assert not agreement.may_reopen(pw.supervisor, assessed)
    with pytest.raises(ValidationFailed, match="can no longer change"):
        agreement.reopen_objectives(pw.supervisor, assessed)
    assert assessed.agreed_at is not None


def test_a_placement_no_longer_accepted_is_not_assessed(english, pw, ready):
    services.withdraw(pw.observer, ready, "Family reasons")
    with pytest.raises(ValidationFailed, match="This placement is Withdrawn"):
        record_assessment(pw.supervisor, ready, Stage.MID, good(), MID_DAY)
    assert _count(Assessment) == 0


# --- The final assessment ---------------------------------------------------------------


def test_the_final_assessment_completes_the_placement_once(pw, assessed):
    record_assessment(pw.supervisor, assessed, Stage.FINAL, good(days=13), LAST_DAY)
    db.session.commit()
    assert assessed.state == State.COMPLETED and assessed.completed_at is not None
    assert _count(PlacementStep, placement_id=assessed.id, state=State.COMPLETED) == 1
    assert len(notices(pw.observer, "assessed_final")) == 1
    assert len(notices(pw.home_coordinator, "assessed_final")) == 1
    for stage, today in ((Stage.FINAL, LAST_DAY), (Stage.MID, LAST_DAY)):
        with pytest.raises(ValidationFailed):
            record_assessment(pw.supervisor, assessed, stage, good(days=14), today)
        db.session.rollback()
    assert _count(PlacementStep, placement_id=assessed.id, state=State.COMPLETED) == 1
    assert _count(Assessment) == 2
    final = db.session.scalar(select(Assessment).where(Assessment.stage == Stage.FINAL))
    assert final.days_present == 13  # the refused attempt changed nothing


def test_the_final_assessment_waits_for_the_mid_point_and_the_last_day(english, pw, ready):
    with pytest.raises(ValidationFailed, match="Record the mid-point assessment first"):
        record_assessment(pw.supervisor, ready, Stage.FINAL, good(), LAST_DAY)
    record_assessment(pw.supervisor, ready, Stage.MID, good(), MID_DAY)
    with pytest.raises(ValidationFailed, match="opens on the last day, 15 Mar 2030"):
        record_assessment(pw.supervisor, ready, Stage.FINAL, good(), date(2030, 3, 14))
    assert ready.state == State.ACCEPTED and _count(Assessment, stage=Stage.FINAL) == 0


@pytest.mark.parametrize(("days", "words"), [(15, "from 0 to 14"), (5, "counted 6 days present")])
def test_the_final_days_present(english, pw, assessed, days, words):
    with pytest.raises(ValidationFailed, match=words):
        record_assessment(pw.supervisor, assessed, Stage.FINAL, good(days=days), LAST_DAY)
    db.session.rollback()
    assert assessed.state == State.ACCEPTED and _count(Assessment, stage=Stage.FINAL) == 0


def test_a_bad_final_rating_leaves_the_placement_open(english, pw, assessed):
    with pytest.raises(ValidationFailed, match="Objective 3"):
        record_assessment(pw.supervisor, assessed, Stage.FINAL, good(levels=(5, 5, 9)), LAST_DAY)
    db.session.rollback()
    assert assessed.state == State.ACCEPTED and assessed.completed_at is None
    assert _count(Assessment, stage=Stage.FINAL) == 0


# --- Over HTTP ---------------------------------------------------------------------------


@pytest.fixture
def on(monkeypatch):
    """Set the host's today for the pages."""

    def set_today(day):
        monkeypatch.setattr(days, "host_today", lambda placement, now=None: day)

    return set_today


def _form(levels=("2", "3", "1"), days="6", **extra) -> dict:
    data = {"days_present": days, "comment": "Curious"}
    for index, level in enumerate(levels):
        if level is not None:
            data[f"ratings-{index}-level"] = level
        data[f"ratings-{index}-comment"] = f"Note {index + 1}"
    return data | extra


def test_the_supervisor_records_both_assessments_over_http(english, pw, ready, app, on):
    url = f"/placements/{ready.id}/assessment"
    supervisor = signed_in(app, pw.supervisor)
    on(date(2030, 3, 5))
    page = text_of(supervisor.get(f"{url}/mid"))
    assert "opens on" in page and 'type="radio"' not in page
    on(MID_DAY)
    page = text_of(supervisor.get(f"{url}/mid"))
    assert page.count('type="radio"') == 5 * 3 and "Could do it with supervision at hand" in page
    assert "at their own institution" in page  # what the scale asks
    response = post_form(supervisor, f"{url}/mid", _form())
    assert response.status_code == 303
    observer_page = text_of(signed_in(app, pw.observer).get(f"/placements/{ready.id}"))
    assert "3 — Could do it with supervision at hand" in observer_page and "Note 2" in observer_page
    assert "6 days present" in observer_page and "Record it" not in observer_page
    assert 'checked id="ratings-1-level-2"' in text_of(supervisor.get(f"{url}/mid"))  # level 3
    on(LAST_DAY)
    page = text_of(supervisor.get(f"{url}/final"))
    assert "At mid-point: 3" in page and "completes the placement" in page
    response = post_form(supervisor, f"{url}/final", _form(levels=("4", "4", "3"), days="14"))
    assert response.status_code == 303
    db.session.refresh(ready)
    assert ready.state == State.COMPLETED
    page = text_of(supervisor.get(f"{url}/final"))
    assert "This placement is completed" in page and 'type="radio"' not in page
    again = post_form(supervisor, f"{url}/final", _form(days="14"), form_page=f"{url}/final")
    assert again.status_code == 400 and "This placement is completed" in text_of(again)
    assert _count(PlacementStep, placement_id=ready.id, state=State.COMPLETED) == 1


def test_bad_levels_and_days_are_shown_beside_their_fields(english, pw, ready, app, on):
    on(MID_DAY)
    url = f"/placements/{ready.id}/assessment/mid"
    supervisor = signed_in(app, pw.supervisor)
    response = post_form(supervisor, url, _form(levels=("2", None, "1")))
    assert response.status_code == 400
    assert 'id="ratings-1-level-error"' in text_of(response)
    assert "Objective 2: choose a level from 1 to 5." in text_of(response)
    response = post_form(supervisor, url, _form(levels=("2", "9", "1")))
    assert response.status_code == 400 and 'id="ratings-1-level-error"' in text_of(response)
    response = post_form(supervisor, url, _form(days="8"))
    assert response.status_code == 400 and 'id="days_present-error"' in text_of(response)
    assert "from 0 to 7" in text_of(response)
    response = post_form(supervisor, url, _form(days="many"))
    assert response.status_code == 400 and 'id="days_present-error"' in text_of(response)
    assert _count(Assessment) == 0


def test_who_reaches_the_assessment_pages(pw, ready, app, client, on):
    on(MID_DAY)
    url = f"/placements/{ready.id}/assessment/mid"
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert signed_in(app, pw.stranger).get(url).status_code == 404
    token_page = f"/placements/{ready.id}"
    for person in (pw.observer, pw.host_coordinator, pw.home_coordinator, pw.admin):
        other = signed_in(app, person)
        assert other.get(url).status_code == 403
        assert post_form(other, url, _form(), form_page=token_page).status_code == 403
        assert "Record it" not in text_of(other.get(token_page))  # the form is not offered
    assert _count(Assessment) == 0
    supervisor = signed_in(app, pw.supervisor)
    assert supervisor.get(f"/placements/{ready.id}/assessment/halfway").status_code == 404
    assert supervisor.get(f"/placements/{ready.id}/assessment/final").status_code == 200


def test_a_withdrawn_placement_is_refused_with_a_message(english, pw, ready, app, on):
    on(MID_DAY)
    services.withdraw(pw.observer, ready, "Family reasons")
    db.session.commit()
    url = f"/placements/{ready.id}/assessment/mid"
    response = post_form(
        signed_in(app, pw.supervisor), url, _form(), form_page=f"/placements/{ready.id}"
    )
    assert response.status_code == 400 and "This placement is Withdrawn" in text_of(response)
    assert _count(Assessment) == 0
    page = text_of(signed_in(app, pw.observer).get(f"/placements/{ready.id}"))
    assert "Assessing and managing pain" in page and "Agreed by Sara Supervisor" in page
    assert "Record it" not in page and "Reopen" not in page  # kept in view, nothing to do
