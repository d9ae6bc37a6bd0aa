"""`flask demo`: every demo account exists, can sign in, and a second run changes nothing."""

from sqlalchemy import func, select

from app.auth.models import Role, User
from app.demo import ACCOUNTS, seed_demo
from app.extensions import db
from app.institutions.models import Institution, Programme
from tests.helpers import sign_in, text_of

CONTRACT_ACCOUNTS = {
    "admin@example.org": Role.ADMIN,
    "funder@example.org": Role.FUNDER,
    "coordinator@example.org": Role.COORDINATOR,
    "trainer@example.org": Role.TRAINER,
    "learner@example.org": Role.LEARNER,
    "doctor@example.org": Role.LEARNER,
    "translator@example.org": Role.TRANSLATOR,
}


def _counts():
    return tuple(
        db.session.scalar(select(func.count(model.id))) for model in (User, Institution, Programme)
    )


def test_demo_world_is_complete_and_idempotent():
    seed_demo()
    first = _counts()
    seed_demo()
    assert _counts() == first == (len(ACCOUNTS), 4, 2)
    for email, role in CONTRACT_ACCOUNTS.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert role in user.roles, email
    translator = db.session.scalar(select(User).where(User.email == "translator@example.org"))
    assert translator.translator_locales == {"kk", "ru"}
    assert (
        db.session.scalar(select(User).where(User.email == "learner@example.org")).profession
        == "nurse"
    )


def test_each_demo_account_signs_in_and_sees_its_role(app, client):
    seed_demo()
    db.session.commit()
    expectations = {
        "admin@example.org": "/admin/users",
        "funder@example.org": "/programmes/",
        "coordinator@example.org": "/institutions/",
        "trainer@example.org": "/invitations",
        "translator@example.org": "%",
    }
    for email in CONTRACT_ACCOUNTS:
        client = app.test_client()
        assert sign_in(client, email, "palliare-demo").status_code == 302, email
        html = text_of(client.get("/?lang=en"))
        if email in expectations:
            assert expectations[email] in html, email


def test_demo_command_if_empty_leaves_a_used_database_alone(app):
    seed_demo()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert "already has accounts" in result.output


def test_demo_learners_have_progress_in_the_real_courses(app):
    from pathlib import Path

    from app.courses import queries
    from app.courses.importer import import_courses
    from app.learning.queries import get_completion

    import_courses(Path(app.root_path).parent / "courses")
    seed_demo()
    seed_demo()  # still idempotent with progress
    learner = db.session.scalar(select(User).where(User.email == "learner@example.org"))
    outline = queries.get_course_outline(
        learner, queries.get_course("foundations-of-palliative-care")
    )
    assert sum(state.completed for state in outline.states()) == 4
    assert outline.resume_lesson() == outline.states()[4].lesson
    # The doctor meets the whole completion rule (README: a certificate to show).
    doctor = db.session.scalar(select(User).where(User.email == "doctor@example.org"))
    foundations = queries.get_course("foundations-of-palliative-care")
    completion = get_completion(doctor, foundations)
    assert completion is not None and completion.certificate is not None


def test_the_demo_shows_a_delivered_and_a_refused_reminder(app, client):
    from pathlib import Path

    from app.courses.importer import import_courses
    from app.notifications.models import OutboxMessage

    import_courses(Path(app.root_path).parent / "courses")
    seed_demo()
    seed_demo()  # once
    db.session.commit()
    # The demo's reminders (its certificates and recommendations are told too, queued).
    reminders = select(OutboxMessage.status).where(OutboxMessage.template == "reminder")
    assert sorted(db.session.scalars(reminders)) == ["failed", "sent"]
    assert sign_in(client, "admin@example.org", "palliare-demo").status_code == 302
    queue = text_of(client.get("/admin/queue"))
    assert "mailbox unavailable" in queue and "Send again" in queue
