"""The learning agreement: the competency list (shipped and added), objectives set by the
observer or the supervisor, agreed and reopened by the supervisor — through the services
and over HTTP, each rule tried from the side of those it refuses."""

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.notifications.models import Notification
from app.placements import agreement, competencies, services
from app.placements.agreement import ObjectiveInput, set_objectives
from app.placements.models import Competency, Objective
from tests.helpers import post_form, text_of

ROWS = [
    ObjectiveInput("pain"),
    ObjectiveInput(None, "Run a weekly multidisciplinary meeting"),
    ObjectiveInput("family-meetings"),
]


@pytest.fixture
def english(pw):
    """Everyone reads the pages in English (the tests quote the English words)."""
    for person in (pw.admin, pw.home_coordinator, pw.observer, pw.colleague,
                   pw.host_coordinator, pw.supervisor, pw.stranger, pw.funder):  # fmt: skip
        person.locale = "en"
    db.session.commit()


def signed_in(app, user):
    """A client signed in as ``user`` (several people take turns in one test)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def notices(user, variant=None) -> list[Notification]:
    rows = db.session.scalars(
        select(Notification).where(
            Notification.recipient_id == user.id, Notification.kind == "placement_agreement"
        )
    )
    return [n for n in rows if variant is None or n.params["variant"] == variant]


def agreed(pw, placement, rows=ROWS):
    """``placement`` with ``rows`` set by the observer and agreed by the supervisor."""
    set_objectives(pw.observer, placement, rows)
    agreement.agree_objectives(pw.supervisor, placement)
    db.session.commit()
    return placement


def _objectives(placement) -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(Objective).where(Objective.placement_id == placement.id).order_by(Objective.position)
    )
    return [(o.position, o.competency_code, o.text) for o in rows]


# --- The competency list ---------------------------------------------------------------


def test_the_shipped_list_is_grouped_and_short(app):
    assert 18 <= len(competencies.SHIPPED) <= 24
    assert {domain for domain, _title in competencies.SHIPPED.values()} == set(
        competencies.DOMAINS
    )  # every domain has competencies, and none is outside the domains
    for code, (_domain, title) in competencies.SHIPPED.items():
        assert not code.startswith(competencies.EXTENSION_PREFIX)  # never an added code
        with force_locale("en"):
            assert 0 < len(str(title)) <= 70, code
    assert competencies.title_of("pain") == "Assessing and managing pain"
    assert competencies.title_of("x-999999") is None and competencies.title_of("nope") is None


def test_an_administrator_and_a_host_coordinator_extend_the_list(pw):
    added = competencies.add_competency(pw.admin, "teamwork", "  Running a  Balint group ")
    by_host = competencies.add_competency(pw.host_coordinator, "services", "Night-shift handover")
    db.session.commit()
    assert added.code == f"x-{added.id}" and by_host.code == f"x-{by_host.id}"
    assert added.title == "Running a Balint group"  # spaces tidied, words kept
    assert competencies.title_of(by_host.code) == "Night-shift handover"
    entries = {e.code: e for e in competencies.list_all()}
    assert entries[added.code].domain == "teamwork" and entries[added.code].added is added
    codes = [e.code for e in competencies.list_all()]  # each domain's together
    assert codes.index(added.code) < codes.index("home-visits")


@pytest.mark.parametrize("who", ["home_coordinator", "observer", "supervisor", "stranger"])
def test_others_may_not_extend_the_list(pw, who):
    with pytest.raises(PermissionDenied):
        competencies.add_competency(getattr(pw, who), "teamwork", "Something new")
    assert db.session.scalar(select(func.count()).select_from(Competency)) == 0


@pytest.mark.parametrize(
    ("domain", "title", "field", "words"),
    [
        ("nowhere", "Something", "domain", "Choose one of the listed domains"),
        ("teamwork", "   ", "title", "Write the competency"),
        ("teamwork", "x" * 301, "title", "At most 300 characters"),
        ("teamwork", "interdisciplinary TEAM meetings", "title", "already in the list"),
    ],
)
def test_a_bad_competency_is_refused(english, pw, domain, title, field, words):
    with pytest.raises(ValidationFailed) as refused:
        competencies.add_competency(pw.admin, domain, title)
    assert refused.value.field == field and words in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(Competency)) == 0


def test_an_added_title_is_not_added_twice_in_its_domain(pw):
    competencies.add_competency(pw.admin, "teamwork", "Balint groups")
    with pytest.raises(ValidationFailed):
        competencies.add_competency(pw.host_coordinator, "teamwork", "balint  GROUPS")
    competencies.add_competency(pw.host_coordinator, "professional", "Balint groups")  # elsewhere


# --- Objectives --------------------------------------------------------------------------


def test_the_observer_sets_objectives_and_the_supervisor_is_told(pw, accepted):
    rows = [ROWS[0], ObjectiveInput(), ObjectiveInput(" ", "  "), *ROWS[1:]]
    set_objectives(pw.observer, accepted, rows)
    db.session.commit()
    assert _objectives(accepted) == [
        (1, "pain", None),
        (2, None, "Run a weekly multidisciplinary meeting"),
        (3, "family-meetings", None),
    ]  # empty rows skipped, positions without gaps
    [notice] = notices(pw.supervisor, "proposed")
    assert (
        notice.params["placement_id"] == accepted.id and notice.params["actor"] == "Olga Observer"
    )
    assert notices(pw.observer) == []  # never the one who acted


def test_the_supervisor_sets_them_too_and_the_observer_is_told(pw, accepted):
    set_objectives(pw.supervisor, accepted, ROWS)
    assert [n.params["variant"] for n in notices(pw.observer)] == ["proposed"]


def test_saving_replaces_the_list(pw, accepted):
    set_objectives(pw.observer, accepted, ROWS)
    six = [ObjectiveInput(code) for code in ("pain", "bereavement", "spiritual", "bad-news")]
    six += [ObjectiveInput(None, "One"), ObjectiveInput(None, "Two")]
    set_objectives(pw.observer, accepted, six)
    db.session.commit()
    assert [row[1] or row[2] for row in _objectives(accepted)] == [
        "pain", "bereavement", "spiritual", "bad-news", "One", "Two"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "field", "words"),
    [
        (ROWS[:2], None, "three to six objectives (the form has 2)"),
        ([ObjectiveInput(None, f"Objective {n}") for n in range(7)], None, "the form has 7"),
        ([*ROWS, ObjectiveInput("no-such-code")], "objectives-3-competency", "Objective 4: choose"),
        ([*ROWS, ObjectiveInput("pain")], "objectives-3-competency", "the same as objective 1"),
        (
            [*ROWS, ObjectiveInput(None, "run a weekly  MULTIDISCIPLINARY meeting ")],
            "objectives-3-text",
            "Objective 4: the same as objective 2",
        ),
        ([*ROWS, ObjectiveInput(None, "x" * 501)], "objectives-3-text", "at most 500"),
        ([*ROWS, ObjectiveInput("pain", "And more")], "objectives-3-text", "not both"),
    ],
)
def test_a_bad_row_is_refused_and_nothing_changes(english, pw, accepted, rows, field, words):
    set_objectives(pw.observer, accepted, ROWS)
    db.session.commit()
    before = _objectives(accepted)
    with pytest.raises(ValidationFailed) as refused:
        set_objectives(pw.observer, accepted, rows)
    db.session.rollback()
    assert refused.value.field == field and words in str(refused.value)
    assert _objectives(accepted) == before  # the old list whole: nothing half-written


def test_500_characters_are_enough(pw, accepted):
    set_objectives(pw.observer, accepted, [*ROWS[:2], ObjectiveInput(None, "y" * 500)])
    assert _objectives(accepted)[2][2] == "y" * 500


@pytest.mark.parametrize(
    ("who", "hidden"),
    [("home_coordinator", False), ("host_coordinator", False), ("admin", False),
     ("stranger", True), ("colleague", True)],
)  # fmt: skip
def test_only_the_observer_and_the_supervisor_set_objectives(pw, accepted, who, hidden):
    with pytest.raises(PermissionDenied) as refused:
        set_objectives(getattr(pw, who), accepted, ROWS)
    assert refused.value.hidden is hidden  # those who cannot see it are not told it exists
    assert _objectives(accepted) == []


def test_objectives_wait_for_acceptance(english, pw):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    db.session.commit()
    with pytest.raises(ValidationFailed, match="This placement is Nominated"):
        set_objectives(pw.observer, placement, ROWS)
    assert not agreement.may_set_objectives(pw.observer, placement)


# --- Agreement ---------------------------------------------------------------------------


def test_the_supervisor_agrees_and_the_list_is_locked(english, pw, accepted):
    set_objectives(pw.observer, accepted, ROWS)
    assert agreement.may_agree(pw.supervisor, accepted)
    assert not agreement.may_agree(pw.observer, accepted)
    agreement.agree_objectives(pw.supervisor, accepted)
    db.session.commit()
    assert accepted.agreed_at is not None and accepted.agreed_by_id == pw.supervisor.id
    assert [n.params["variant"] for n in notices(pw.observer)] == ["agreed"]
    for who in (pw.observer, pw.supervisor):
        assert not agreement.may_set_objectives(who, accepted)
        with pytest.raises(ValidationFailed, match="supervisor may reopen"):
            set_objectives(who, accepted, ROWS)
    with pytest.raises(ValidationFailed, match="already agreed"):
        agreement.agree_objectives(pw.supervisor, accepted)


def test_nothing_to_agree_is_refused(english, pw, accepted):
    assert not agreement.may_agree(pw.supervisor, accepted)
    with pytest.raises(ValidationFailed, match="Set three to six objectives"):
        agreement.agree_objectives(pw.supervisor, accepted)
    assert accepted.agreed_at is None


@pytest.mark.parametrize("who", ["observer", "host_coordinator", "home_coordinator", "admin"])
def test_only_the_supervisor_agrees_or_reopens(pw, accepted, who):
    set_objectives(pw.observer, accepted, ROWS)
    with pytest.raises(PermissionDenied):
        agreement.agree_objectives(getattr(pw, who), accepted)
    agreement.agree_objectives(pw.supervisor, accepted)
    with pytest.raises(PermissionDenied):
        agreement.reopen_objectives(getattr(pw, who), accepted)
    assert accepted.agreed_at is not None


def test_the_supervisor_reopens_and_the_observer_changes_them(pw, accepted):
    agreed(pw, accepted)
    assert agreement.may_reopen(pw.supervisor, accepted)
    agreement.reopen_objectives(pw.supervisor, accepted)
    db.session.commit()
    assert accepted.agreed_at is None and accepted.agreed_by_id is None
    assert [n.params["variant"] for n in notices(pw.observer)] == ["agreed", "reopened"]
    set_objectives(pw.observer, accepted, [*ROWS, ObjectiveInput("bereavement")])
    assert len(_objectives(accepted)) == 4
    with pytest.raises(ValidationFailed, match="not agreed yet"):
        agreement.reopen_objectives(pw.supervisor, accepted)


# --- Over HTTP ---------------------------------------------------------------------------


def _form(*rows) -> dict:
    """The objectives form's fields: ``rows`` as (code, text), the rest of the six empty."""
    data = {}
    for index in range(6):
        code, text = rows[index] if index < len(rows) else ("", "")
        data[f"objectives-{index}-competency"] = code
        data[f"objectives-{index}-text"] = text
    return data


def test_the_objectives_page_offers_six_rows_of_grouped_choices(english, pw, accepted, app):
    page = text_of(signed_in(app, pw.observer).get(f"/placements/{accepted.id}/objectives"))
    assert page.count('name="objectives-5-text"') == 1 and 'name="objectives-6-text"' not in page
    assert page.count("<optgroup") == 6 * len(competencies.DOMAINS)
    assert "— write your own —" in page and "Assessing and managing pain" in page


def test_saving_and_agreeing_over_http(english, pw, accepted, app):
    url = f"/placements/{accepted.id}/objectives"
    client = signed_in(app, pw.observer)
    rows = [("pain", ""), ("", ""), ("", "Run a weekly multidisciplinary meeting"),
            ("bad-news", "")]  # fmt: skip
    response = post_form(client, url, _form(*rows))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/placements/{accepted.id}")
    page = text_of(client.get(f"/placements/{accepted.id}"))
    assert "Learning agreement" in page and "Run a weekly multidisciplinary meeting" in page
    assert "Not agreed yet" in page and "Agree these objectives" not in page
    assert post_form(client, f"{url}/agree", {}, form_page=url).status_code == 403
    supervisor = signed_in(app, pw.supervisor)
    page = text_of(supervisor.get(f"/placements/{accepted.id}"))
    assert "Agree these objectives" in page
    response = post_form(supervisor, f"{url}/agree", {}, form_page=url)
    assert response.status_code == 303
    page = text_of(client.get(f"/placements/{accepted.id}"))
    assert "Agreed by Sara Supervisor" in page and "Change the objectives" not in page
    assert "Reopen the objectives" in text_of(supervisor.get(f"/placements/{accepted.id}"))
    response = post_form(supervisor, f"{url}/reopen", {}, form_page=url)
    assert response.status_code == 303
    db.session.refresh(accepted)
    assert accepted.agreed_at is None


def test_a_bad_row_over_http_says_which_and_saves_nothing(english, pw, accepted, app):
    client = signed_in(app, pw.observer)
    url = f"/placements/{accepted.id}/objectives"
    rows = [("pain", ""), ("bad-news", ""), ("family-meetings", ""), ("pain", "")]
    response = post_form(client, url, _form(*rows))
    assert response.status_code == 400
    page = text_of(response)
    assert "Objective 4: the same as objective 1." in page
    assert 'id="objectives-3-competency-error"' in page  # beside the row
    assert _objectives(accepted) == []
    response = post_form(client, url, _form(("pain", "")))
    assert response.status_code == 400 and "the form has 1" in text_of(response)


def test_who_reaches_the_objectives_page(pw, accepted, app, client):
    url = f"/placements/{accepted.id}/objectives"
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert signed_in(app, pw.stranger).get(url).status_code == 404
    for person in (pw.home_coordinator, pw.host_coordinator, pw.admin):
        other = signed_in(app, person)
        assert other.get(url).status_code == 403
        token_page = f"/placements/{accepted.id}"
        assert post_form(other, url, _form(*[(c, "") for c in ("pain", "bad-news", "quality")]),
                         form_page=token_page).status_code == 403  # fmt: skip
    assert _objectives(accepted) == []
    assert signed_in(app, pw.supervisor).get(url).status_code == 200


def test_the_panel_shows_only_to_viewers_and_after_acceptance(english, pw, accepted, app):
    agreed(pw, accepted)
    page = text_of(signed_in(app, pw.home_coordinator).get(f"/placements/{accepted.id}"))
    assert "Assessing and managing pain" in page and "Agreed by Sara Supervisor" in page
    assert "Change the objectives" not in page and "Reopen" not in page
    nominated = services.nominate(pw.home_coordinator, pw.offer, pw.colleague)
    db.session.commit()
    page = text_of(signed_in(app, pw.home_coordinator).get(f"/placements/{nominated.id}"))
    assert "Learning agreement" not in page


def test_the_panel_warns_when_started_without_agreement(english, pw, accepted, app, monkeypatch):
    monkeypatch.setattr("app.placements.days.host_today", lambda p, now=None: date(2030, 3, 1))
    client = signed_in(app, pw.observer)
    assert "has started" not in text_of(client.get(f"/placements/{accepted.id}"))
    monkeypatch.setattr("app.placements.days.host_today", lambda p, now=None: date(2030, 3, 2))
    assert "has started and its objectives are not agreed" in text_of(
        client.get(f"/placements/{accepted.id}")
    )
    agreed(pw, accepted)
    assert "has started" not in text_of(client.get(f"/placements/{accepted.id}"))


def test_a_withdrawn_placement_takes_no_objectives(english, pw, accepted, app):
    services.withdraw(pw.observer, accepted, "Ill")
    db.session.commit()
    client = signed_in(app, pw.observer)
    url = f"/placements/{accepted.id}/objectives"
    response = post_form(client, url, _form(("pain", ""), ("bad-news", ""), ("quality", "")))
    assert response.status_code == 400 and "This placement is Withdrawn" in text_of(response)
    supervisor = signed_in(app, pw.supervisor)
    response = post_form(supervisor, f"{url}/agree", {}, form_page=url)
    assert response.status_code == 400 and "Withdrawn" in text_of(response)


def test_the_competency_list_over_http(english, pw, accepted, app):
    observer = signed_in(app, pw.observer)
    page = text_of(observer.get("/placements/competencies"))
    assert "Recognising the dying phase" in page and "Add a competency" not in page
    token_page = "/placements/"
    data = {"domain": "teamwork", "title": "Balint groups"}
    refused = post_form(observer, "/placements/competencies", data, form_page=token_page)
    assert refused.status_code == 403
    assert post_form(signed_in(app, pw.home_coordinator), "/placements/competencies", data,
                     form_page=token_page).status_code == 403  # fmt: skip
    host = signed_in(app, pw.host_coordinator)
    assert "Add a competency" in text_of(host.get("/placements/competencies"))
    response = post_form(host, "/placements/competencies", data)
    assert response.status_code == 303
    assert "Balint groups" in text_of(observer.get("/placements/competencies"))
    again = post_form(host, "/placements/competencies", data)
    assert again.status_code == 400 and "already in the list" in text_of(again)
    code = db.session.scalar(select(Competency.code))
    page = text_of(observer.get(f"/placements/{accepted.id}/objectives"))
    assert f'value="{code}"' in page  # an added competency is offered to pick
