"""The demo's translations and adoptions of the demo protocol, in the demo's own words
(app/demo/protocol_texts.py): Chinese complete (shown in Chinese), Russian one dose line
short (held back), the Beijing adaptation in Chinese, two institutions adopting; run
twice, nothing doubles."""

from app.auth.models import Role
from app.courses import queries as course_queries
from app.demo import protocol_adoption as demo
from app.demo import protocol_texts as texts
from app.extensions import db
from app.protocols import adoption_queries
from app.protocols.rendering import render_version
from tests.factories import make_institution, make_user
from tests.protocols.factories_translation import make_protocol, make_version


def _sections(sections):
    """(key, heading, body) of the demo's (heading, body) pairs."""
    return tuple((f"section-{n}", heading, body) for n, (heading, body) in enumerate(sections))


def _demo_world():
    """The demo protocol's version 1 and its Beijing adaptation's, in the demo's words."""
    make_user(roles=[Role.ADMIN], email="admin@example.org")
    make_user(roles=[(Role.TRANSLATOR, "ru")], email="translator@example.org")
    for name, email in demo.ADOPTERS:
        institution = make_institution(name=name)
        make_user(email=email, institution_id=institution.id)
    version = make_version(
        make_protocol(slug=demo.SLUG),
        title=texts.TITLE,
        scope=texts.SCOPE,
        sections=_sections(texts.SECTIONS),
    )
    changed = dict(texts.SECTIONS) | dict([texts.ADAPTED_SWALLOW])
    adapted = make_version(
        make_protocol(slug=demo.ADAPTED_SLUG),
        title=texts.ADAPTED_TITLE,
        scope=texts.SCOPE,
        sections=_sections(changed.items()),
    )
    db.session.commit()
    return version, adapted


def test_nothing_happens_without_the_protocol(db):
    assert demo.ensure_protocol_adoption() is None


def test_chinese_is_shown_russian_held_back_and_two_institutions_adopt(db):
    version, adapted = _demo_world()
    done = demo.ensure_protocol_adoption()
    assert done == {"zh_Hans": 29, "ru": 28, "adoptions": 2, "zh_Hans_adapted": 29}
    chinese = render_version(version, "zh_Hans")
    assert not chinese.held_back and chinese.title == demo.ZH[texts.TITLE]
    assert "规律口服吗啡每 24 小时 20–30 mg" in chinese.sections[1].html  # a dose line
    russian = render_version(version, "ru")
    assert russian.held_back and russian.critical_missing == 1
    beijing = render_version(adapted, "zh_Hans")
    assert not beijing.held_back and beijing.title.endswith("（北京）")
    adoptions = adoption_queries.list_adoptions(version.protocol_id)
    assert sorted(a.institution.name for a in adoptions) == sorted(n for n, _e in demo.ADOPTERS)
    again = {"zh_Hans": 0, "ru": 0, "adoptions": 0, "zh_Hans_adapted": 0}
    assert demo.ensure_protocol_adoption() == again
    assert len(course_queries.list_document_catalogs(f"protocol:{version.id}", "ru")) == 1
