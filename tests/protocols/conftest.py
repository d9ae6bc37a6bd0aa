"""A small protocol world: a Singapore and a Beijing institution (and one in Almaty,
outside the programme) in one programme; a trainer author at Singapore, reviewers at
Singapore and Beijing, an administrator, a learner, a funder and an outsider; and a
protocol with two sections, one of them a dose block."""

from dataclasses import dataclass
from datetime import date

import pytest

from app.auth.models import Role
from app.protocols import services
from app.protocols.models import Protocol
from app.protocols.queries import draft_of
from tests.factories import make_institution, make_programme, make_user

DOSE_BODY = (
    "For breakthrough pain:\n\n::: dose\nMorphine 2.5–5 mg SC as needed, up to hourly.\n:::\n"
)


@dataclass
class ProtocolWorld:
    singapore: object
    beijing: object
    almaty: object
    programme: object
    author: object
    co_author: object
    sg_reviewer: object
    cn_reviewer: object
    admin: object
    learner: object
    funder: object
    outsider: object
    protocol: Protocol

    @property
    def draft(self):
        return draft_of(self.protocol)


def details(world_programme, **changes) -> services.ProtocolDetails:
    fields = {
        "title": "Subcutaneous opioids for breakthrough pain",
        "programme": world_programme,
        "review_by": date(2028, 1, 1),
        "scope": "Adults in the last days of life.",
    }
    fields.update(changes)
    return services.ProtocolDetails(**fields)


@pytest.fixture
def pw(db) -> ProtocolWorld:
    singapore = make_institution(name="Singapore Hospice", country="SG", default_locale="en")
    beijing = make_institution(name="Beijing Hospital", country="CN", default_locale="zh_Hans")
    almaty = make_institution(name="Almaty Hospice", country="KZ")
    programme = make_programme([singapore, beijing])
    author = make_user(roles=[Role.TRAINER], institution=singapore, name="Dr Tan")
    protocol = services.create_protocol(author, details(programme))
    draft = draft_of(protocol)
    services.add_section(author, draft, "Assessment", "Assess pain with the patient.")
    services.add_section(author, draft, "Breakthrough doses", DOSE_BODY)
    return ProtocolWorld(
        singapore=singapore,
        beijing=beijing,
        almaty=almaty,
        programme=programme,
        author=author,
        co_author=make_user(institution=beijing, name="Dr Li"),
        sg_reviewer=make_user(institution=singapore, name="Nurse Koh"),
        cn_reviewer=make_user(institution=beijing, name="Dr Wang"),
        admin=make_user(roles=[Role.ADMIN]),
        learner=make_user(institution=singapore),
        funder=make_user(roles=[(Role.FUNDER, programme)]),
        outsider=make_user(roles=[Role.TRAINER], institution=almaty),
        protocol=protocol,
    )
