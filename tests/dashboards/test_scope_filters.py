"""Filters accept only what the viewer's scope contains: an institution or cohort outside
it is refused exactly as an unknown id is, and its name never appears."""

from app.auth.models import Role
from app.dashboards import tokens
from app.extensions import db
from tests.factories import make_cohort, make_institution, make_programme, make_user
from tests.helpers import text_of

SECRET_PLACE, SECRET_COHORT = "Hidden Hospice of Elsewhere", "Night shift secret cohort"


def _worlds(sample_course):
    mine = make_institution(default_locale="en")
    programme = make_programme([mine], target_trainees=10)
    theirs = make_institution(name=SECRET_PLACE, default_locale="en")
    make_programme([theirs])
    trainer = make_user(roles=[Role.TRAINER], institution=theirs)
    cohort = make_cohort(trainer, [sample_course], name=SECRET_COHORT)
    own_trainer = make_user(roles=[Role.TRAINER], institution=mine)
    own_cohort = make_cohort(own_trainer, [sample_course])
    return programme, mine, theirs, cohort, own_cohort


def _same_refusal(get, outside: str, unknown: str):
    refused, missing = get(outside), get(unknown)
    assert refused.status_code == missing.status_code and refused.status_code in (400, 404)
    body = refused.get_data(as_text=True)
    assert SECRET_PLACE not in body and SECRET_COHORT not in body
    return refused


def test_a_funder_cannot_name_another_institution_or_its_cohorts(sample_course, client, login):
    programme, mine, theirs, cohort, own_cohort = _worlds(sample_course)
    funder = make_user(roles=[(Role.FUNDER, programme)])
    _token, secret = tokens.create_token(funder, "Board")
    db.session.commit()
    login(funder)
    base = f"/dashboards/programmes/{programme.id}"
    ok = text_of(client.get(f"{base}?lang=en&institution={mine.id}&cohort={own_cohort.id}"))
    assert SECRET_PLACE not in ok and SECRET_COHORT not in ok
    for path in (base, f"{base}/institutions.csv", f"{base}.xlsx"):
        _same_refusal(
            client.get,
            f"{path}?lang=en&institution={theirs.id}",
            f"{path}?lang=en&institution=99999",
        )
        _same_refusal(
            client.get,
            f"{path}?lang=en&institution={mine.id}&cohort={cohort.id}",
            f"{path}?lang=en&institution={mine.id}&cohort=99999",
        )
        _same_refusal(
            client.get, f"{path}?lang=en&cohort={cohort.id}", f"{path}?lang=en&cohort=99999"
        )
    api = f"/api/v1/programmes/{programme.id}/report?lang=en"
    headers = {"Authorization": f"Bearer {secret}"}
    refused = _same_refusal(
        lambda url: client.get(url, headers=headers),
        f"{api}&institution={theirs.id}",
        f"{api}&institution=99999",
    )
    assert refused.get_json()["parameter"] == "institution"


def test_a_coordinator_cannot_filter_by_another_institutions_cohort(sample_course, client, login):
    _programme, mine, _theirs, cohort, own_cohort = _worlds(sample_course)
    login(make_user(roles=[(Role.COORDINATOR, mine)], institution=mine))
    base = f"/dashboards/institutions/{mine.id}"
    assert client.get(f"{base}?lang=en&cohort={own_cohort.id}").status_code == 200
    _same_refusal(client.get, f"{base}?lang=en&cohort={cohort.id}", f"{base}?lang=en&cohort=99999")
