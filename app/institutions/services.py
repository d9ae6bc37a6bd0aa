"""Rules for institutions and programmes (flush, never commit)."""

from datetime import date

import pytz
from babel import Locale
from flask import current_app
from flask_babel import gettext as _

from app.events import institutions_changed
from app.exceptions import ValidationFailed
from app.extensions import db
from app.institutions import queries
from app.institutions.models import Institution, Programme

# CLDR territory codes that name a grouping or a placeholder, not a country.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


def is_country(code: str) -> bool:
    """Whether ``code`` is a two-letter country (or territory) code an institution may
    be in: not a grouping such as the European Union or a pseudo-region."""
    code = code.upper()
    return (
        len(code) == 2
        and code.isalpha()
        and code not in NOT_COUNTRIES
        and (code in Locale("en").territories)
    )


def get_institution(institution_id: int | None) -> Institution | None:
    """One institution by id (None for None)."""
    return db.session.get(Institution, institution_id) if institution_id else None


def _check_institution_fields(name, country, timezone, default_locale, current=None):
    if not is_country(country):
        raise ValidationFailed(_("Unknown country code: %(code)s", code=country), "country")
    if timezone not in pytz.all_timezones_set:
        raise ValidationFailed(_("Unknown time zone: %(tz)s", tz=timezone), "timezone")
    if default_locale not in current_app.config["LANGUAGES"]:
        raise ValidationFailed(
            _("Unknown language: %(locale)s", locale=default_locale), "default_locale"
        )
    other = queries.institution_named(name)
    if other is not None and other is not current:
        raise ValidationFailed(_("An institution with this name already exists."), "name")


def save_institution(
    institution: Institution | None, name, country, city, timezone, default_locale
) -> Institution:
    """Create (``institution`` None) or update an institution after checking its fields."""
    _check_institution_fields(name, country, timezone, default_locale, institution)
    if institution is None:
        institution = Institution()
        db.session.add(institution)
    institution.name = name.strip()
    institution.country = country.upper()
    institution.city = city.strip()
    institution.timezone = timezone
    language_changed = institution.default_locale != default_locale
    institution.default_locale = default_locale
    db.session.flush()
    if language_changed:
        institutions_changed.send(institution_ids=[institution.id])
    return institution


def save_programme(
    programme: Programme | None,
    name: str,
    funding_organisation: str,
    target_trainees: int,
    starts_on: date,
    ends_on: date,
    institution_ids: list[int],
) -> Programme:
    """Create (``programme`` None) or update a programme after checking its fields."""
    if ends_on < starts_on:
        raise ValidationFailed(_("The programme cannot end before it starts."), "ends_on")
    if target_trainees < 1:
        raise ValidationFailed(_("The target must be at least one trainee."), "target_trainees")
    other = queries.programme_named(name)
    if other is not None and other is not programme:
        raise ValidationFailed(_("A programme with this name already exists."), "name")
    if programme is None:
        programme = Programme()
        db.session.add(programme)
    programme.name = name.strip()
    programme.funding_organisation = funding_organisation.strip()
    programme.target_trainees = target_trainees
    programme.starts_on = starts_on
    programme.ends_on = ends_on
    programme.institutions = queries.institutions_by_ids(institution_ids)
    db.session.flush()
    return programme
