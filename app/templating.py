"""What templates can use beyond Flask's defaults: menus, languages, labels, formatting."""

import hashlib
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request, url_for
from flask_babel import format_decimal, format_percent, format_timedelta
from markupsafe import Markup

from app.auth.models import PROFESSION_LABELS, ROLE_LABELS
from app.auth.policies import may_visit
from app.db_types import utcnow
from app.locales import (
    format_date,
    format_datetime,
    format_local,
    format_time,
    html_lang,
    language_choices,
    language_name,
    switcher_choices,
    text_direction,
)
from app.localised import localised
from app.process_cache import BoundedCache


def locale_code() -> str:
    """The viewer's locale as the content uses it (``zh_Hans``), for titles by language."""
    from flask_babel import get_locale

    return str(get_locale())


def zone_named(name: str) -> ZoneInfo:
    """A time zone by its IANA name (``Europe/Stockholm``)."""
    return ZoneInfo(name)


def zone_of(user) -> ZoneInfo:
    """A person's time zone: their profile's, else their institution's, else UTC (for
    e-mails, which are written outside that person's request)."""
    name = user.timezone or (user.institution.timezone if user.institution else None)
    return ZoneInfo(name or "UTC")


def country_name(code: str | None) -> str:
    """A country's name in the viewer's language (``KZ`` → ``Қазақстан`` in Kazakh)."""
    from flask_babel import get_locale

    if not code:
        return ""
    return get_locale().territories.get(code.upper(), code)


def field_attrs(field, autocomplete: str | None = None) -> dict:
    """HTML attributes that tie a field to its hint and errors (for screen readers)."""
    attrs = {}
    described = []
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if field.description:
        described.append(f"{field.id}-hint")
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return attrs


@cache
def _static_version(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def static_url(filename: str) -> str:
    """A static file's address with a content hash: browsers may cache it for a year,
    and still fetch a changed file at once (slow links pay for CSS and JS only once)."""
    urls = current_app.extensions.setdefault("palliare_static_urls", {})
    key = (request.script_root, filename)  # every page asks for the same three
    if key not in urls:
        path = Path(current_app.static_folder) / filename
        urls[key] = url_for("static", filename=filename, v=_static_version(str(path)))
    return urls[key]


# The parts of the page frame every page shows (the menu, the language list, the footer):
# per language, role set and current section a few KB each; 2,000 cover every section of
# every language for a dozen role sets.
PAGE_FRAGMENTS = 2000


def cached_fragment(name: str, *key, caller) -> Markup:
    """``{% call cached_fragment("menu", …) %}…{% endcall %}``: the block's HTML, rendered
    once per name, language, script root and ``key`` and then kept in the process (a
    fragment of base.html otherwise costs every page its translations, URLs and role
    checks anew). The block must show nothing that its key does not decide: no CSRF
    token, no path, no name; those stay outside it."""
    full_key = (name, locale_code(), request.script_root, key)
    # Kept per app (its own catalogs and configuration), like static_url's addresses.
    return current_app.extensions["palliare_page_fragments"].get_or_make(full_key, caller)


def menu_key(user) -> tuple:
    """What decides the main menu besides the language and the unread count: signed in or
    not, the links a person may visit (every route policy depends only on roles:
    app/auth/policies.py), the section they are in (``aria-current``) and the
    development-only links."""
    config = current_app.config
    development = bool(config.get("DEVELOPMENT") and config.get("MAIL_COPY_DIR"))
    if not user.is_authenticated:
        return (None, request.endpoint, development)
    return (tuple(sorted(user.roles)), request.endpoint, development)


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (allowed by the CSP's img-src data:)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def init_app(app: Flask) -> None:
    """Register globals and filters."""
    from app.outbox import signed_out_mark

    app.extensions["palliare_page_fragments"] = BoundedCache(PAGE_FRAGMENTS)
    app.jinja_env.globals.update(
        may_visit=may_visit,
        cached_fragment=cached_fragment,
        menu_key=menu_key,
        signed_out_mark=signed_out_mark,
        language_choices=language_choices,
        switcher_choices=switcher_choices,
        language_name=language_name,
        html_lang=html_lang,
        text_direction=text_direction,
        profession_labels=PROFESSION_LABELS,
        role_labels=ROLE_LABELS,
        country_name=country_name,
        locale_code=locale_code,
        format_local=format_local,
        zone_named=zone_named,
        zone_of=zone_of,
        field_attrs=field_attrs,
        now_utc=utcnow,
        static_url=static_url,
        qr_data_uri=qr_data_uri,
    )
    app.jinja_env.filters.update(
        localised=localised,
        date=format_date,
        datetime=format_datetime,
        time=format_time,
        number=format_decimal,
        percent=format_percent,
        timedelta=format_timedelta,
    )

    @app.context_processor
    def current_path():
        return {"current_path": request.path if request else "/"}


# Templates every page, or the busiest ones, render: compiled once in gunicorn's master.
WARM_TEMPLATES = (
    "base.html",
    "courses/lesson.html",
    "courses/_lesson_article.html",
    "courses/_lesson_pager.html",
    "courses/course.html",
)


def warm_up(app: Flask) -> None:
    """Make in the process that forks the workers what each worker would otherwise make for
    itself on its first requests, so that they share it (copy-on-write): the models'
    mappers configured, the busiest templates and the macros compiled, and each language's
    interface catalog and CLDR data (names, numbers, dates) loaded. Called by wsgi.py,
    before the objects are frozen."""
    from flask_babel import force_locale, get_locale, get_translations
    from sqlalchemy.orm import configure_mappers

    from app.locales import switcher_choices

    configure_mappers()  # otherwise each worker sets up every model's relationships itself

    # Every template, not only the busiest: all 160-odd compiled take ~5 MiB, once, shared
    # by the workers; left to the workers, each compiled the ones it served in memory of
    # its own (the 500-learner cohort page's alone is ~1 MiB per worker). The cache holds
    # them all (Jinja's default 400), so none is evicted and compiled again privately.
    templates = app.jinja_env.list_templates()
    for name in (*WARM_TEMPLATES, *templates):
        app.jinja_env.get_template(name)
    app.url_map.update()  # the URL matcher, otherwise compiled by each worker's first request
    with app.test_request_context():
        for code in app.config["LANGUAGES"]:
            with force_locale(code):
                get_translations()
                locale = get_locale()
                _ = (locale.territories, locale.languages, locale.number_symbols)
                format_percent(0.5)
                switcher_choices()  # each catalog's coverage, read once
