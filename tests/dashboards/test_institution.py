"""The institution dashboard: exact counts for its coordinators, nothing for others."""

from app.auth.models import Profession, Role
from app.extensions import db
from tests.factories import make_completion, make_institution, make_user
from tests.helpers import text_of


def _section(html: str, key: str) -> str:
    return html.split(f'id="{key}"', 1)[1].split("</section>", 1)[0]


def test_coordinators_see_their_institution_with_exact_counts(sample_course, client, login):
    mine, other = make_institution(default_locale="en"), make_institution(default_locale="en")
    nurses = [make_user(institution=mine, profession=Profession.NURSE) for _ in range(3)]
    make_user(institution=other, profession=Profession.NURSE)
    make_completion(nurses[0].id, sample_course.id)
    db.session.commit()
    login(make_user(roles=[(Role.COORDINATOR, mine)], institution=mine))
    html = text_of(client.get(f"/dashboards/institutions/{mine.id}?lang=en"))
    months = _section(html, "months")
    assert '<td class="num">1</td>' in months and "&lt;5" not in months  # no suppression here
    assert client.get(f"/dashboards/institutions/{other.id}").status_code == 404


def test_learners_and_funders_cannot_open_it(client, login):
    mine = make_institution()
    login(make_user(institution=mine))
    assert client.get(f"/dashboards/institutions/{mine.id}").status_code == 403
