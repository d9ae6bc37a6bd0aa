"""The translators' pages of documents written in the app (a published protocol
version here; any registered kind the same): the overview's coverage and held-back
documents, a document's stale and missing segments critical first, typed translations
saved or refused beside their segment (422, nothing saved), the catalog's download and
checked upload (422 with line numbers), the revisions, and the catalog rule."""

import io

from app.auth.models import Role
from app.courses import documents
from app.courses import queries as course_queries
from app.extensions import db
from app.protocols import translation
from tests.factories import make_user
from tests.helpers import csrf_token, text_of
from tests.protocols.factories_translation import make_protocol, make_version

DOSE = "Morphine 2.5 mg SC every 4 hours as needed."
DOSE_RU = "Морфин 2,5 мг п/к каждые 4 часа при необходимости."


def _published():
    version = make_version(make_protocol())
    db.session.commit()
    return version, f"/translate/ru/documents/protocol:{version.id}"


def _fields(client, url: str, typed: dict[str, str]) -> dict:
    """The page's form filled in: each source's box gets its translation."""
    version_source = documents.load_source(url.rsplit("/", 1)[1])
    numbers = {segment.text: n for n, (_w, segment) in enumerate(version_source.segments)}
    data = {"csrf_token": csrf_token(client, url)}
    for text, typed_text in typed.items():
        data[f"source-{numbers[text]}"] = text
        data[f"translation-{numbers[text]}"] = typed_text
    return data


def test_the_overview_lists_documents_held_back_in_ones_languages(client, login, db):
    version, _url = _published()
    login(make_user(roles=[(Role.TRANSLATOR, "ru")]))
    html = text_of(client.get("/translate/?lang=en"))
    section = html.split("Documents written in the app", 1)[1]
    assert f"/translate/ru/documents/protocol:{version.id}" in section
    assert "Held back: 1 safety-critical" in section
    assert "/translate/zh_Hans/documents/" not in section  # not the translator's language


def test_the_document_page_lists_missing_segments_critical_first(client, login, db):
    _version, url = _published()
    login(make_user(roles=[(Role.TRANSLATOR, "ru")]))
    html = text_of(client.get(url + "?lang=en"))
    missing = html.split("missing segments", 1)[1]
    assert missing.index(DOSE) < missing.index("Breakthrough pain at home")
    assert "Where: section-dosing" in missing


def test_typed_translations_are_saved_and_the_stale_one_shows_old_and_new(client, login, db):
    version, url = _published()
    login(make_user(roles=[(Role.TRANSLATOR, "ru")]))
    response = client.post(url + "?lang=en", data=_fields(client, url, {DOSE: DOSE_RU}))
    assert response.status_code == 200 and "saved as revision" in text_of(response)
    source = translation.source_of(version)
    assert not documents.held_back(source, documents.catalog_of(source, "ru"))
    assert len(course_queries.list_document_catalogs(source.id, "ru")) == 1


def test_a_wrong_dose_is_refused_beside_its_segment_and_nothing_saved(client, login, db):
    version, url = _published()
    login(make_user(roles=[(Role.TRANSLATOR, "ru")]))
    typed = {DOSE: "Морфин 25 мг п/к каждые 4 часа.", "Dosing": "Дозировка"}
    response = client.post(url + "?lang=en", data=_fields(client, url, typed))
    assert response.status_code == 422
    html = text_of(response)
    box = html.split(DOSE, 2)[2]  # after the hidden source: its box and its problem
    assert 'aria-invalid="true"' in box.split("</article>", 1)[0]
    assert "safety-critical" in box.split("</article>", 1)[0]
    assert "Морфин 25 мг" in html  # what was typed is kept
    assert course_queries.list_document_catalogs(f"protocol:{version.id}", "ru") == []


def test_download_and_a_checked_upload(client, login, db):
    version, url = _published()
    login(make_user(roles=[(Role.TRANSLATOR, "ru")]))
    text = client.get(url + ".po").get_data(as_text=True)
    assert f'msgid "{DOSE}"' in text
    bad = text.replace(f'msgid "{DOSE}"\nmsgstr ""', f'msgid "{DOSE}"\nmsgstr "Морфин 5 мг"')
    form = {"csrf_token": csrf_token(client, url), "catalog": (io.BytesIO(bad.encode()), "ru.po")}
    refused = client.post(url + ".po?lang=en", data=form, content_type="multipart/form-data")
    assert refused.status_code == 422 and "line " in text_of(refused)
    good = text.replace(f'msgid "{DOSE}"\nmsgstr ""', f'msgid "{DOSE}"\nmsgstr "{DOSE_RU}"')
    form = {"csrf_token": csrf_token(client, url), "catalog": (io.BytesIO(good.encode()), "ru.po")}
    saved = client.post(url + ".po?lang=en", data=form, content_type="multipart/form-data")
    assert saved.status_code == 200 and "saved as revision" in text_of(saved)
    assert "current" in text_of(client.get(url + "?lang=en")).split("Revisions", 1)[1]


def test_the_catalog_rule_decides(client, login, db):
    version, url = _published()
    login(make_user(roles=[(Role.TRANSLATOR, "kk")]))
    assert client.get(url).status_code == 403  # another language's translator
    assert client.get(f"/translate/kk/documents/protocol:{version.id}").status_code == 200
    assert client.get("/translate/kk/documents/protocol:999999").status_code == 404
    assert client.get(f"/translate/en/documents/protocol:{version.id}").status_code == 404
    draft = make_version(version.protocol, number=None)
    db.session.commit()
    assert client.get(f"/translate/kk/documents/protocol:{draft.id}").status_code == 404


def test_learners_do_not_reach_the_pages(client, login, db):
    _version, url = _published()
    login(make_user())
    assert client.get(url).status_code == 403


def test_markup_in_a_translation_and_an_unknown_segment_are_refused(client, login, db):
    version, url = _published()
    login(make_user(roles=[(Role.TRANSLATOR, "ru")]))
    typed = {"Dosing": "<script>alert(1)</script>Дозировка"}
    response = client.post(url + "?lang=en", data=_fields(client, url, typed))
    assert response.status_code == 422 and "HTML" in text_of(response)
    data = {"csrf_token": csrf_token(client, url), "source-0": "Not here", "translation-0": "X"}
    stale_page = client.post(url + "?lang=en", data=data)
    assert stale_page.status_code == 422 and "reload" in text_of(stale_page)
    empty = client.post(url + "?lang=en", data={"csrf_token": csrf_token(client, url)})
    assert empty.status_code == 422
    assert course_queries.list_document_catalogs(f"protocol:{version.id}", "ru") == []
