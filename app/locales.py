"""Choosing the interface language and time zone for a request.

Locale order: ``?lang=`` (remembered in the profile, or the session when signed out),
the profile, the session, the browser's Accept-Language, the institution's default, then
English. Time zone: the profile, then the institution, then UTC.
"""

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytz
from babel import Locale, UnknownLocaleError, dates
from flask import current_app, flash, g, has_request_context, request, session
from flask_babel import get_locale, get_timezone, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.db_types import utcnow
from app.events import profiles_changed
from app.extensions import db
from app.interface_coverage import interface_coverage

SESSION_KEY = "locale"


def supported_locales() -> list[str]:
    """The interface languages, English (the source) first."""
    return current_app.config["LANGUAGES"]


def canonical_locale(code: str | None) -> str | None:
    """The supported locale spelled as ``code`` (``zh-hans`` → ``zh_Hans``), or None."""
    if not code:
        return None
    wanted = code.strip().replace("-", "_").lower()
    for locale in supported_locales():
        if locale.lower() == wanted:
            return locale
    return None


def match_language_tag(tag: str) -> str | None:
    """The supported locale for a browser language tag (``zh-CN`` → ``zh_Hans``), or None."""
    try:
        wanted = Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return None
    for code in supported_locales():
        offered = Locale.parse(code)
        same_script = (wanted.script or offered.script) == (offered.script or wanted.script)
        if offered.language == wanted.language and (same_script or not wanted.script):
            return code
    return None


def _from_accept_language() -> str | None:
    for tag, _quality in request.accept_languages:
        if tag != "*" and (match := match_language_tag(tag)):
            return match
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector (see the module docstring for the order)."""
    if not has_request_context():  # the CLI, or a service called outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user if current_user and current_user.is_authenticated else None
    candidates = (
        lambda: g.get("requested_locale"),
        lambda: user.locale if user else None,
        lambda: session.get(SESSION_KEY),
        _from_accept_language,
        lambda: user.institution.default_locale if user and user.institution else None,
    )
    for candidate in candidates:
        if locale := canonical_locale(candidate()):
            return locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Flask-Babel's time-zone selector: the profile, then the institution, then UTC."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user and current_user.is_authenticated:
        if current_user.timezone:
            return current_user.timezone
        if current_user.institution:
            return current_user.institution.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def apply_lang_parameter():
    """``before_request`` hook: ``?lang=xx`` switches the language and remembers it.

    An unknown code changes nothing and says so. The signed-in user's choice is saved in
    their profile here (a request hook, so it commits its own one-field change).
    """
    requested = request.args.get("lang")
    if requested is None or request.endpoint == "static":
        return
    locale = canonical_locale(requested)
    if locale is None:
        flash(
            _("Unknown language “%(code)s”; the language was not changed.", code=requested[:20]),
            "error",
        )
        return
    g.requested_locale = locale
    session[SESSION_KEY] = locale
    # Remember it in the profile only when the request comes from this site: a link or
    # image elsewhere must not change a signed-in user's settings.
    from_here = request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")
    if from_here and current_user.is_authenticated and current_user.locale != locale:
        current_user.locale = locale
        profiles_changed.send(user_ids=[current_user.id])
        db.session.commit()


@lru_cache(maxsize=64)  # the same for every request: the header switcher asks for each
def language_name(code: str) -> str:
    """A language's name in that language, capitalised (``kk`` → ``Қазақ тілі``)."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def language_choices() -> list[tuple[str, str]]:
    """(code, name in its own language) of every registered language (profile, forms)."""
    return [(code, language_name(code)) for code in supported_locales()]


def switcher_choices() -> list[tuple[str, str]]:
    """The languages the header's switcher offers: English, the current one, and those
    whose interface is at least LANGUAGE_SWITCHER_MIN_COVERAGE percent translated (a
    newly added language waits there until its translators get that far)."""
    cache = current_app.extensions.setdefault("palliare_interface_coverage", {})
    threshold = current_app.config["LANGUAGE_SWITCHER_MIN_COVERAGE"]
    current = str(get_locale())
    offered = []
    for code, name in language_choices():
        if code not in cache:  # catalogs change only with a deployment: read them once
            cache[code] = 100.0 if code == "en" else interface_coverage(code).percent
        if code == current or cache[code] >= threshold:
            offered.append((code, name))
    return offered


def text_direction() -> str:
    """``ltr`` or ``rtl`` for the current locale (for ``<html dir>``)."""
    return get_locale().text_direction


def html_lang() -> str:
    """The current locale as a BCP 47 tag for ``<html lang>`` (``zh_Hans`` → ``zh-Hans``)."""
    return str(get_locale()).replace("_", "-")


# English reads day, month name, year ("5 Dec 2026"): the US short form (12/5/26) means
# another day to most of the world. Other languages keep their own conventions.
ENGLISH_DATE = "d MMM y"


def date_locale() -> Locale:
    """The locale whose conventions dates and times follow: the interface's, except that
    plain English takes British conventions (day before month, 24-hour clock)."""
    locale = get_locale()
    if locale.language == "en" and not locale.territory:
        return Locale.parse("en_GB")
    return locale


def _date_pattern(format: str, locale: Locale) -> str:
    if format in ("short", "medium") and locale.language == "en":
        return ENGLISH_DATE
    return format


def format_date(value=None, format: str = "medium", rebase: bool = True) -> str:
    """A date (or a moment's date in the viewer's time zone) in the viewer's language;
    the ``|date`` filter. English: "5 Dec 2026"."""
    value = utcnow() if value is None else value
    if rebase and isinstance(value, datetime):
        value = to_user_timezone(value)
    locale = date_locale()
    return dates.format_date(value, _date_pattern(format, locale), locale=locale)


def format_time(value=None, format: str = "short") -> str:
    """A moment's time of day in the viewer's time zone ("14:30" in English)."""
    value = utcnow() if value is None else value
    return dates.format_time(value, format, tzinfo=get_timezone(), locale=date_locale())


def format_datetime(value=None, format: str = "medium") -> str:
    """A moment in the viewer's time zone and language; the ``|datetime`` filter. Short
    and medium are the date and the time to the minute ("5 Dec 2026, 14:30"); long and
    full are the locale's own."""
    value = utcnow() if value is None else value
    locale = date_locale()
    if format not in ("short", "medium"):
        return dates.format_datetime(value, format, tzinfo=get_timezone(), locale=locale)
    day = format_date(value, format)
    time = format_time(value, "short")
    return _joined(day, time, format, locale)


def _joined(day: str, time: str, format: str, locale: Locale) -> str:
    """The locale's own way of joining a date and a time ("{1}, {0}", "{1} {0}", …)."""
    return dates.get_datetime_format(format, locale=locale).replace("{1}", day).replace("{0}", time)


def format_local(moment, tz, kind: str = "datetime") -> str:
    """A time in a place's own time zone (an on-site workshop happens there), in the
    viewer's language: ``kind`` is ``datetime`` (with the weekday: "Saturday 5 December
    2026 at 14:30" in English) or ``time``."""
    locale = date_locale()
    if kind == "time":
        return dates.format_time(moment, "short", tzinfo=tz, locale=locale)
    day = dates.format_date(moment.astimezone(tz), "full", locale=locale)
    time = dates.format_time(moment, "short", tzinfo=tz, locale=locale)
    return _joined(day, time, "full", locale)


# Time zones for pickers: grouped by region (Babel names the continents in every language;
# the oceans and the rest need words of ours), each "id — city (UTC±hh:mm)".
REGION_TERRITORIES = {
    "Africa": "002",
    "America": "019",
    "US": "019",
    "Canada": "019",
    "Antarctica": "AQ",
    "Asia": "142",
    "Australia": "AU",
    "Europe": "150",
    "Arctic": "150",  # Longyearbyen
}
REGION_WORDS = {
    "Atlantic": _l("Atlantic Ocean"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific Ocean"),
}
REGION_ORDER = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe",
                "Indian", "Pacific", "")  # fmt: skip


def _region_of(zone: str) -> str:
    region = zone.split("/", 1)[0] if "/" in zone else ""
    return {"US": "America", "Canada": "America", "Arctic": "Europe"}.get(region, region)


def _region_name(region: str, locale: Locale) -> str:
    if region in REGION_TERRITORIES:
        return locale.territories.get(REGION_TERRITORIES[region], region)
    return str(REGION_WORDS.get(region, _l("Other")))


def _offset(zone: str, moment: datetime) -> str:
    """``UTC+08:00`` (the offset in force at ``moment``), ``UTC`` for none."""
    delta = moment.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(delta.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign, minutes = ("+" if minutes > 0 else "−"), abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def timezone_label(zone: str, locale: Locale | None = None, moment: datetime | None = None) -> str:
    """``Asia/Singapore — Singapore (UTC+08:00)``: the id people may know, the city in
    the viewer's language and today's offset."""
    locale = locale or get_locale()
    city = dates.get_timezone_location(zone, locale=locale, return_city=True)
    offset = _offset(zone, moment or utcnow())
    if "/" not in zone:  # UTC, GMT
        return zone if zone == offset else f"{zone} ({offset})"
    return f"{zone} — {city} ({offset})"


@lru_cache(maxsize=16)
def _grouped_zones(locale_code: str, day: date) -> tuple[tuple[str, tuple], ...]:
    """Every common zone by region, labelled (kept per language and day: offsets change
    with summer time)."""
    locale = Locale.parse(locale_code)
    noon = datetime.combine(day, datetime.min.time(), tzinfo=UTC).replace(hour=12)
    by_region: dict[str, list] = {}
    for zone in pytz.common_timezones:
        by_region.setdefault(_region_of(zone), []).append(
            (zone, timezone_label(zone, locale, noon))
        )
    return tuple(
        (_region_name(region, locale), tuple(by_region[region]))
        for region in REGION_ORDER
        if region in by_region
    )


def timezone_choices(suggested=(), blank: str | None = None) -> dict[str, list]:
    """Choices for a time-zone ``<select>`` (WTForms groups): "Suggested" first (the
    ``blank`` choice, if any, then ``suggested`` zones, e.g. the institution's and the
    current value), then every common zone by region."""
    locale = get_locale()
    first = [("", blank)] if blank is not None else []
    for zone in dict.fromkeys(z for z in suggested if z):  # in order, once each
        if zone in pytz.all_timezones_set:
            first.append((zone, timezone_label(zone, locale)))
    groups = {str(_l("Suggested")): first} if first else {}
    for name, zones in _grouped_zones(str(locale), utcnow().date()):
        groups[name] = list(zones)
    return groups


def suggested_timezones() -> list[str]:
    """The zones a picker offers first: the viewer's institution's, then their own."""
    if not has_request_context() or not current_user.is_authenticated:
        return []
    institution = current_user.institution
    return [institution.timezone if institution else None, current_user.timezone]
