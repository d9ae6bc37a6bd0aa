"""The protocol pages over HTTP: status codes, the rules, clear refusals."""

from datetime import date

from app.auth.models import Role
from app.protocols import publishing, queries, review, services
from tests.factories import make_user
from tests.helpers import csrf_token, post_form, sign_in, text_of


def _as(app, person):
    """A client of its own, signed in as ``person``."""
    client = app.test_client()
    assert sign_in(client, person.email, "palliare-demo").status_code == 302
    return client


def _published(pw):
    review.add_reviewer(pw.author, pw.draft, pw.cn_reviewer)
    review.approve(pw.cn_reviewer, pw.draft)
    publishing.publish(pw.author, pw.draft, date(2027, 1, 1))
    return pw.protocol


def test_an_author_creates_a_protocol_and_writes_a_section(pw, login):
    client = login(pw.author)
    response = post_form(client, "/protocols/new", {
        "title": "Mouth care", "programme": pw.programme.id, "review_by": "2028-06-01",
        "scope": "", "authors": pw.co_author.email,
    })  # fmt: skip
    assert response.status_code == 303 and response.location.endswith("/protocols/mouth-care/draft")
    page = "/protocols/mouth-care/draft/sections/new"
    response = post_form(client, page, {"heading": "Dry mouth", "body": "Sips <b>often</b>."})
    assert response.status_code == 400
    assert "Dry mouth, line 1: HTML is not allowed" in text_of(response)
    response = post_form(client, page, {"heading": "Dry mouth", "body": "Give 5 mg."})
    assert response.status_code == 400 and "::: dose" in text_of(response)
    response = post_form(client, page, {"heading": "Dry mouth", "body": "Offer sips often."})
    assert response.status_code == 303
    assert "Offer sips often." in text_of(client.get("/protocols/mouth-care/draft"))


def test_learners_and_funders_read_published_versions_but_never_drafts(pw, app):
    _published(pw)
    services_draft = publishing.start_next_draft(pw.author, pw.protocol)
    assert services_draft is not None
    slug = pw.protocol.slug
    for person in (pw.learner, pw.funder):
        client = _as(app, person)
        assert client.get(f"/protocols/{slug}").status_code == 200
        assert client.get(f"/protocols/{slug}/v/1").status_code == 200
        assert client.get(f"/protocols/{slug}/draft").status_code == 404
        listing = text_of(client.get("/protocols/"))
        assert "Subcutaneous opioids" in listing and "Draft under review" not in listing


def test_a_draft_only_protocol_is_hidden_from_others(pw, login):
    client = login(pw.learner)
    assert client.get(f"/protocols/{pw.protocol.slug}").status_code == 404
    assert "Subcutaneous" not in text_of(client.get("/protocols/"))


def test_the_author_is_sent_to_the_draft_until_something_is_published(pw, login):
    client = login(pw.author)
    response = client.get(f"/protocols/{pw.protocol.slug}")
    assert response.status_code == 303 and response.location.endswith("/draft")


def test_a_reviewer_sees_the_draft_but_may_not_edit_it(pw, login):
    review.add_reviewer(pw.author, pw.draft, pw.sg_reviewer)
    client = login(pw.sg_reviewer)
    slug = pw.protocol.slug
    assert client.get(f"/protocols/{slug}/draft").status_code == 200
    assert client.get(f"/protocols/{slug}/draft/sections/assessment").status_code == 403


def test_a_stale_proposal_is_refused_with_409(pw, login):
    review.add_reviewer(pw.author, pw.draft, pw.sg_reviewer)
    client = login(pw.sg_reviewer)
    page = f"/protocols/{pw.protocol.slug}/draft/sections/assessment/propose"
    token = csrf_token(client, page)
    services.edit_section(pw.author, pw.draft, "assessment", "Assessment", "Changed meanwhile.")
    response = client.post(page, data={
        "csrf_token": token, "base_body": "Assess pain with the patient.",
        "body": "My text.", "reason": "",
    })  # fmt: skip
    assert response.status_code == 409 and "old text" in text_of(response)
    assert queries.proposals_of(pw.draft) == []


def test_publishing_without_the_approvals_lists_what_is_missing(pw, login):
    publishing.add_requirement(pw.author, pw.protocol, country="CN")
    client = login(pw.author)
    page = f"/protocols/{pw.protocol.slug}/draft/publish"
    response = post_form(client, page, {"effective_on": "", "change_log": ""})
    assert response.status_code == 400
    assert "1 from country CN: 0 of 1 approvals" in text_of(response)
    assert queries.latest_published(pw.protocol) is None


def test_the_version_page_pdf_and_comparison(pw, login):
    _published(pw)
    draft = publishing.start_next_draft(pw.author, pw.protocol)
    services.edit_section(pw.author, draft, "assessment", "Assessment", "Ask the family too.")
    publishing.publish(pw.author, draft, change_log="Families.")
    client = login(pw.learner)
    slug = pw.protocol.slug
    page = text_of(client.get(f"/protocols/{slug}/v/1"))
    assert "Dr Wang (Beijing Hospital)" in page and "The latest is version 2" in page
    assert "callout-dose" in page
    pdf = client.get(f"/protocols/{slug}/v/2.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    compare = client.get(f"/protocols/{slug}/compare?a=1&b=2")
    assert compare.status_code == 200 and "<ins>" in text_of(compare)
    assert client.get(f"/protocols/{slug}/compare?a=1&b=9").status_code == 404
    assert client.get(f"/protocols/{slug}/v/3").status_code == 404


def test_the_reviewer_approves_and_the_author_accepts_a_proposal(pw, app):
    review.add_reviewer(pw.author, pw.draft, pw.sg_reviewer)
    slug = pw.protocol.slug
    client = _as(app, pw.sg_reviewer)
    draft_page = f"/protocols/{slug}/draft"
    response = post_form(client, f"{draft_page}/sections/assessment/propose", {
        "base_body": "Assess pain with the patient.", "body": "Assess pain together.",
        "reason": "Clearer",
    })  # fmt: skip
    assert response.status_code == 303
    assert post_form(client, f"{draft_page}/approve", {}, draft_page).status_code == 303
    client = _as(app, pw.author)
    proposal = queries.proposals_of(pw.draft)[0]
    url = f"{draft_page}/proposals/{proposal.id}/accept"
    assert post_form(client, url, {}, draft_page).status_code == 303
    assert services.section_of(pw.draft, "assessment").body == "Assess pain together."
    assert queries.approvals_of(pw.draft) == []  # the edit cleared the approval


def test_an_adaptation_lists_its_differences_and_tells_of_a_newer_source(pw, app):
    _published(pw)
    client = _as(app, pw.co_author)  # a learner: adapting is for those who write protocols
    slug = pw.protocol.slug
    assert client.get(f"/protocols/{slug}/v/1/adapt").status_code == 403
    beijing_trainer = make_user(
        roles=[Role.TRAINER], institution=pw.beijing, name="Dr Zhao", locale="en"
    )
    client = _as(app, beijing_trainer)
    response = post_form(client, f"/protocols/{slug}/v/1/adapt", {
        "title": "Breakthrough pain (Beijing)", "programme": pw.programme.id,
        "review_by": "2028-01-01", "scope": "", "authors": "",
    })  # fmt: skip
    assert response.status_code == 303
    adapted = queries.protocol_by_slug("breakthrough-pain-beijing")
    draft_url = f"/protocols/{adapted.slug}/draft"
    url = f"{draft_url}/sections/breakthrough-doses/difference"
    assert post_form(client, url, {"reason": "Tablets only."}, draft_url).status_code == 303
    publishing.publish(beijing_trainer, queries.draft_of(adapted))
    page = text_of(client.get(f"/protocols/{adapted.slug}"))
    assert "How this adaptation differs" in page and "Tablets only." in page
    assert "has published version" not in page
    draft = publishing.start_next_draft(pw.author, pw.protocol)
    services.edit_section(pw.author, draft, "assessment", "Assessment", "Ask the family.")
    publishing.publish(pw.author, draft, change_log="Families.")
    page = text_of(client.get(f"/protocols/{adapted.slug}"))
    assert "has published version 2 since version 1 was adapted" in page
    assert f"/protocols/{slug}/compare?a=1&amp;b=2" in page
