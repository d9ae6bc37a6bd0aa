"""Creating a protocol and writing its sections (services, no HTTP)."""

from datetime import date

import pytest

from app.auth.models import Role
from app.exceptions import PermissionDenied, ValidationFailed
from app.protocols import services
from app.protocols.queries import draft_of
from tests.factories import make_user
from tests.protocols.conftest import details


def test_the_creator_is_the_first_author_and_the_slug_comes_from_the_title(pw):
    assert pw.protocol.slug == "subcutaneous-opioids-for-breakthrough-pain"
    assert pw.protocol.authors == [pw.author]
    draft = pw.draft
    assert draft.number is None and draft.title.startswith("Subcutaneous")
    assert [s.key for s in draft.sections] == ["assessment", "breakthrough-doses"]


def test_a_second_protocol_with_the_same_title_gets_its_own_slug(pw):
    again = services.create_protocol(pw.author, details(pw.programme))
    assert again.slug == "subcutaneous-opioids-for-breakthrough-pain-2"


def test_other_authors_come_from_the_programmes_institutions(pw):
    made = services.create_protocol(
        pw.author, details(pw.programme, title="Mouth care", authors=[pw.co_author])
    )
    assert made.authors == [pw.author, pw.co_author]
    stranger = make_user(institution=pw.almaty, name="Someone Else")
    with pytest.raises(ValidationFailed, match="Someone Else"):
        services.create_protocol(pw.author, details(pw.programme, title="X", authors=[stranger]))


def test_learners_do_not_create_protocols_and_outsiders_not_in_this_programme(pw):
    with pytest.raises(PermissionDenied):
        services.create_protocol(pw.learner, details(pw.programme))
    with pytest.raises(ValidationFailed, match="programme your institution"):
        services.create_protocol(pw.outsider, details(pw.programme))
    admin = make_user(roles=[Role.ADMIN])
    assert services.create_protocol(admin, details(pw.programme, title="By an admin"))


def test_html_in_a_section_is_refused_naming_the_section(pw):
    with pytest.raises(ValidationFailed, match="Assessment, line 2: HTML is not allowed"):
        services.edit_section(pw.author, pw.draft, "assessment", "Assessment",
                              "Fine.\n<script>alert(1)</script>")  # fmt: skip
    with pytest.raises(ValidationFailed, match="plain text"):
        services.add_section(pw.author, pw.draft, "<b>Bold</b>", "Text")
    assert pw.draft.sections[0].body == "Assess pain with the patient."


def test_a_dose_outside_a_dose_block_is_refused_and_inside_one_is_kept(pw):
    with pytest.raises(ValidationFailed, match="“5 mg” looks like a dose"):
        services.add_section(pw.author, pw.draft, "Rescue", "Give 5 mg when needed.")
    section = services.add_section(
        pw.author, pw.draft, "Rescue", "::: dose\nGive 5 mg when needed.\n:::"
    )
    assert section.key == "rescue" and section.position == 3


def test_sections_are_reordered_and_removed_keeping_their_keys(pw):
    services.move_section(pw.author, pw.draft, "breakthrough-doses", -1)
    assert [s.key for s in sorted(pw.draft.sections, key=lambda s: s.position)] == [
        "breakthrough-doses",
        "assessment",
    ]
    services.remove_section(pw.author, pw.draft, "assessment")
    assert [s.key for s in pw.draft.sections] == ["breakthrough-doses"]


def test_only_authors_and_administrators_write(pw):
    with pytest.raises(PermissionDenied):
        services.add_section(pw.sg_reviewer, pw.draft, "Mine", "Text")
    services.add_section(pw.admin, pw.draft, "Admin's", "Text")


def test_details_change_on_a_draft(pw):
    services.update_details(pw.author, pw.draft, "New title", "New scope", date(2029, 1, 1))
    assert (pw.draft.title, pw.draft.review_by) == ("New title", date(2029, 1, 1))
    with pytest.raises(ValidationFailed, match="Title"):
        services.update_details(pw.author, pw.draft, " ", "", date(2029, 1, 1))


def test_another_author_is_added_from_a_partner_institution(pw):
    services.add_author(pw.author, pw.protocol, pw.co_author)
    assert pw.co_author in pw.protocol.authors
    with pytest.raises(ValidationFailed):
        services.add_author(pw.author, pw.protocol, pw.outsider)
    assert draft_of(pw.protocol) is not None
