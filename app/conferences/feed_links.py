"""The ways a calendar address is offered: a ``webcal://`` link (calendar apps open it
and subscribe), Google Calendar's and Outlook's pages for adding a calendar from an
address. Each carries the address percent-encoded, so nothing in it breaks the link."""

from dataclasses import dataclass
from urllib.parse import quote

GOOGLE = "https://calendar.google.com/calendar/r?cid={webcal}"
OUTLOOK = "https://outlook.live.com/calendar/0/addfromweb?url={url}&name={name}"


@dataclass(frozen=True)
class SubscribeLinks:
    webcal: str
    google: str
    outlook: str


def webcal_url(url: str) -> str:
    """``https://host/calendar/x.ics`` → ``webcal://host/calendar/x.ics``."""
    return "webcal://" + url.split("://", 1)[-1]


def subscribe_links(url: str, name: str) -> SubscribeLinks:
    """The links that add the feed at ``url`` (named ``name``) to a calendar."""
    webcal = webcal_url(url)
    return SubscribeLinks(
        webcal=webcal,
        google=GOOGLE.format(webcal=quote(webcal, safe="")),
        outlook=OUTLOOK.format(url=quote(url, safe=""), name=quote(name, safe="")),
    )
