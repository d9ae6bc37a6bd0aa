"""The demo's joint protocols (issue 19), written through the protocol services:

- a Singapore protocol of the Beijing programme, "Subcutaneous opioids for breakthrough
  pain in the last days of life", by the Singapore trainers Dr Rajesh Kumar
  (``trainer@example.org``) and Dr Hannah Koh; it needs one approval from Singapore and
  one from China, and version 1 is published, approved by Grace Teo (Singapore) and
  Liu Yang (Beijing);
- its Beijing adaptation by Wang Fang (``coordinator@example.org``) and Liu Yang, which
  gives tablets instead of oral solution and says why; its version 1 is published;
- a draft of the Singapore protocol's version 2 under review, with a comment by Grace
  Teo and an open proposal by Liu Yang.

The texts are in app/demo/protocol_texts.py.
"""

from datetime import date, timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.db_types import utcnow
from app.demo import protocol_texts as texts
from app.demo.people import PROGRAMMES
from app.extensions import db
from app.institutions.models import Programme
from app.protocols import adaptation, publishing, queries, review, services

AUTHORS = ("trainer@example.org", "hannah.koh@example.org")
SINGAPORE_REVIEWER = "host@example.org"  # Grace Teo
BEIJING_REVIEWER = "liu.yang@example.org"  # Liu Yang
ADAPTERS = ("coordinator@example.org", "liu.yang@example.org")
SLUG = "subcutaneous-opioids-last-days"  # the address the Foundations lessons link to


def ensure_protocols(today: date | None = None) -> None:
    """The protocols, once (flushes, does not commit)."""
    if queries.protocol_by_slug(SLUG) is not None:
        return
    today = today or utcnow().date()
    programme = db.session.scalar(select(Programme).where(Programme.name == PROGRAMMES[0][0]))
    author, co_author = (auth.get_user_by_email(email) for email in AUTHORS)
    sg, cn = auth.get_user_by_email(SINGAPORE_REVIEWER), auth.get_user_by_email(BEIJING_REVIEWER)
    protocol = _singapore_protocol(author, co_author, programme, today)
    v1 = _publish_version_1(protocol, author, sg, cn, today)
    _beijing_adaptation(v1, programme, today)
    _draft_version_2(protocol, author, sg, cn)


def _singapore_protocol(author, co_author, programme, today):
    details = services.ProtocolDetails(
        texts.TITLE,
        programme,
        today + timedelta(days=730),
        texts.SCOPE,
        [co_author],
        slug=SLUG,
    )
    protocol = services.create_protocol(author, details)
    draft = queries.draft_of(protocol)
    for heading, body in texts.SECTIONS:
        services.add_section(author, draft, heading, body)
    publishing.add_requirement(author, protocol, country="SG")
    publishing.add_requirement(author, protocol, country="CN")
    return protocol


def _publish_version_1(protocol, author, sg, cn, today):
    draft = queries.draft_of(protocol)
    for reviewer in (sg, cn):
        review.add_reviewer(author, draft, reviewer)
    for section in draft.sections:
        review.mark_reviewed(sg, draft, section.key)
        review.mark_reviewed(cn, draft, section.key)
    review.comment(cn, draft, "sources", "Clear, and the sources are easy to find. Approved.")
    review.approve(sg, draft)
    review.approve(cn, draft)
    return publishing.publish(author, draft, today - timedelta(days=60), texts.CHANGE_LOG_V1)


def _beijing_adaptation(v1, programme, today):
    adapter, co_adapter = (auth.get_user_by_email(email) for email in ADAPTERS)
    details = services.ProtocolDetails(
        texts.ADAPTED_TITLE,
        programme,
        today + timedelta(days=365),
        v1.scope,
        [co_adapter],
        slug=f"{SLUG}-beijing",
    )
    adapted = adaptation.adapt(adapter, v1, details)
    draft = queries.draft_of(adapted)
    heading, body = texts.ADAPTED_SWALLOW
    key = services.section_of(draft, "while-the-patient-can-still-swallow").key
    services.edit_section(adapter, draft, key, heading, body)
    adaptation.record_difference(adapter, draft, key, texts.ADAPTED_REASON)
    koh = auth.get_user_by_email(AUTHORS[1])
    review.add_reviewer(adapter, draft, koh)
    review.approve(koh, draft)
    publishing.publish(adapter, draft, today - timedelta(days=30), "")


def _draft_version_2(protocol, author, sg, cn):
    draft = publishing.start_next_draft(author, protocol)
    principles = services.section_of(draft, "principles")
    services.edit_section(
        author, draft, principles.key, principles.heading,
        principles.body + texts.V2_PRINCIPLES_LINE,
    )  # fmt: skip
    for reviewer in (sg, cn):
        review.add_reviewer(author, draft, reviewer)
    review.mark_reviewed(sg, draft, "principles")
    review.comment(sg, draft, "kidney-impairment", texts.V2_COMMENT)
    often = services.section_of(draft, "how-often-and-when-to-ask-for-help")
    review.propose(
        cn, draft, often.key, often.body, often.body + texts.V2_PROPOSAL_LINE,
        texts.V2_PROPOSAL_REASON,
    )  # fmt: skip
