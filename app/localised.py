"""One rule for "this text in my language" (course, module, lesson and quiz titles, the
titles a certificate keeps): the viewer's language, else the given fallback (a course's
source language), else the first text stored (importers store the source first), else a
default. Also the Jinja filter ``localised``."""

from collections.abc import Mapping


def localised(
    texts: Mapping[str, str] | None, locale: str, fallback: str | None = None, default: str = ""
) -> str:
    texts = texts or {}
    if texts.get(locale):
        return texts[locale]
    if fallback and texts.get(fallback):
        return texts[fallback]
    return next((text for text in texts.values() if text), default)
