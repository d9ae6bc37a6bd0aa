"""Translation catalogs: a course's segments in one language. Administrators translate
every language but the source; translators the languages they were given. A catalog is
not secret (the courses are public to every signed-in person): others get 403."""

from dataclasses import dataclass

from sqlalchemy import Select, false

from app.auth.models import Role
from app.auth.permissions import TRANSLATE, VIEW, Rule, register
from app.i18n.models import CatalogRevision

SOURCE_LOCALE = "en"


@dataclass(frozen=True)
class Catalog:
    """A course's catalog for ``locale`` (whether or not a revision was uploaded yet)."""

    locale: str
    course_key: str


def locales(user) -> set[str] | None:
    """The languages ``user`` translates; None means every one but the source."""
    if user.has_role(Role.ADMIN):
        return None
    return set(user.translator_locales) - {SOURCE_LOCALE}


def _may(user, action: str, locale: str) -> bool:
    mine = locales(user)
    in_reach = locale != SOURCE_LOCALE and (mine is None or locale in mine)
    return action in (VIEW, TRANSLATE) and in_reach


def can(user, action: str, catalog: Catalog) -> bool:
    return _may(user, action, catalog.locale)


def can_revision(user, action: str, revision: CatalogRevision) -> bool:
    return _may(user, action, revision.locale)


def scope(user, query: Select, action: str) -> Select:
    """Over catalog revisions: those of the languages ``user`` translates."""
    mine = locales(user)
    if action not in (VIEW, TRANSLATE) or mine == set():
        return query.where(false())
    query = query.where(CatalogRevision.locale != SOURCE_LOCALE)
    return query if mine is None else query.where(CatalogRevision.locale.in_(mine))


register(Rule(Catalog, can, scope, private=False))
register(Rule(CatalogRevision, can_revision, scope, private=False))
