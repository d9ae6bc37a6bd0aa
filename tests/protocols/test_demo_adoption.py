"""The demo's translations and adoptions of the demo protocol: Chinese complete (shown
in Chinese), Russian one dose line short (held back), two institutions adopting; run
twice, nothing doubles."""

from app.auth.models import Role
from app.courses import queries as course_queries
from app.demo import protocol_adoption as demo
from app.extensions import db
from app.protocols import adoption_queries
from app.protocols.rendering import render_version
from tests.factories import make_institution, make_user
from tests.protocols.factories_translation import make_protocol, make_version

DOSES = """For a person not already taking an opioid:

::: dose
Morphine 2.5 mg to 5 mg SC every 2 to 4 hours as needed.
:::

::: dose
{driver}
:::
""".format(
    driver="If three or more doses are needed in 24 hours, start a syringe driver with "
    "morphine 10 mg over 24 hours."
)
SECTIONS = (
    (
        "when",
        "When to use",
        "Use the subcutaneous route when the person can no longer swallow safely.",
    ),
    ("doses", "Doses", DOSES),
    ("monitoring", "Monitoring", "Review pain, breathing and sedation at least every 4 hours."),
)


def _demo_world():
    make_user(roles=[Role.ADMIN], email="admin@example.org")
    make_user(roles=[(Role.TRANSLATOR, "ru")], email="translator@example.org")
    for name, email in demo.ADOPTERS:
        institution = make_institution(name=name)
        make_user(email=email, institution_id=institution.id)
    version = make_version(
        make_protocol(slug=demo.SLUG),
        title="Subcutaneous opioids in the last days of life",
        scope="Adults in the last days of life who can no longer take medicines by mouth.",
        sections=SECTIONS,
    )
    db.session.commit()
    return version


def test_nothing_happens_without_the_protocol(db):
    assert demo.ensure_protocol_adoption() is None


def test_chinese_is_shown_russian_held_back_and_two_institutions_adopt(db):
    version = _demo_world()
    assert demo.ensure_protocol_adoption() == {"zh_Hans": 10, "ru": 9, "adoptions": 2}
    chinese = render_version(version, "zh_Hans")
    assert not chinese.held_back and chinese.title == "生命最后几天的皮下阿片类药物"
    russian = render_version(version, "ru")
    assert russian.held_back and russian.critical_missing == 1
    adoptions = adoption_queries.list_adoptions(version.protocol_id)
    assert sorted(a.institution.name for a in adoptions) == sorted(n for n, _e in demo.ADOPTERS)
    assert demo.ensure_protocol_adoption() == {"zh_Hans": 0, "ru": 0, "adoptions": 0}
    assert len(course_queries.list_document_catalogs(f"protocol:{version.id}", "ru")) == 1
