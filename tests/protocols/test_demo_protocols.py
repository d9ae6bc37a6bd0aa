"""`flask demo`'s protocols: a Singapore protocol published with approvals from Singapore
and China, its Beijing adaptation (tablets instead of solution, and why), and a draft of
version 2 under review with a comment and an open proposal. Made through the services,
once, with every dose inside a dose block."""

from sqlalchemy import func, select

from app.demo import protocol_texts as texts
from app.demo.people import ensure_people
from app.demo.protocols import ensure_protocols
from app.extensions import db
from app.protocols import adaptation, content, publishing, queries
from app.protocols.models import ProposalState, Protocol


def test_the_demo_protocols_are_complete_and_made_once(app):
    ensure_people()
    ensure_protocols()
    ensure_protocols()
    assert db.session.scalar(select(func.count(Protocol.id))) == 2
    protocol = queries.protocol_by_slug("subcutaneous-opioids-last-days")
    v1 = queries.latest_published(protocol)
    assert v1.number == 1 and v1.change_log == texts.CHANGE_LOG_V1
    assert sorted(a.country for a in queries.approvals_of(v1)) == ["CN", "SG"]
    assert [a.email for a in protocol.authors] == ["trainer@example.org", "hannah.koh@example.org"]

    draft = queries.draft_of(protocol)
    assert [c.body for c in queries.comments_of(draft)] == [texts.V2_COMMENT]
    [proposal] = queries.proposals_of(draft)
    assert proposal.state == ProposalState.OPEN
    assert publishing.missing(draft) != []  # under review: not yet approved

    [adapted] = queries.adaptations_of(protocol)
    assert adapted.adapted_from_version_id == v1.id
    shown = queries.latest_published(adapted)
    assert [(d.key, d.reason) for d in adaptation.differing_sections(shown)] == [
        ("while-the-patient-can-still-swallow", texts.ADAPTED_REASON)
    ]
    assert adaptation.newer_source(adapted) is None


def test_the_demo_texts_pass_the_checks_the_services_apply():
    for heading, body in [*texts.SECTIONS, texts.ADAPTED_SWALLOW]:
        assert content.markdown(body, heading) == body.strip()
    assert "formulary" in texts.SCOPE
