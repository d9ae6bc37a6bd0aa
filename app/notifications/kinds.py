"""What the app can tell a person: one ``Kind`` per thing, each with its words and link.

A notification stores only its kind and parameters; the words are written from the
kind's templates whenever it is shown (the list, in the viewer's language of the day) or
sent (the generic e-mail, in the recipient's language). Parameters are plain JSON:
names ending in ``_at`` hold an ISO moment (shown in the reader's time zone), ``_on`` an
ISO date, ``locale`` a language code (shown as the language's name), and a dict holds a
text by language (a course's titles). A link is an endpoint and the parameters that fill
it, built when shown; its ``target`` names the row it needs, so a link to something
deleted since is left out rather than leading to a 404.

Invitations and password resets are not kinds: they go by e-mail only, whatever a
person chooses, since they are how one reaches the app at all.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class Message:
    """A title and an optional body, translatable, with ``%(name)s`` placeholders."""

    title: LazyString
    body: LazyString | None = None


@dataclass(frozen=True)
class Link:
    """``url_for(endpoint, **{name: params[name] for name in values})``; ``target`` is
    (table, column, parameter): the row that must still exist for the link to work."""

    endpoint: str
    values: tuple[str, ...]
    target: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Kind:
    """One thing the app tells people; ``label`` names it on the preferences page."""

    name: str
    label: LazyString
    messages: dict[str, Message]  # by variant ("" when there is one)
    link: Link | None = None

    def message(self, variant: str | None) -> Message:
        """The words for ``variant`` (the first variant's when unknown)."""
        return self.messages.get(variant or "", next(iter(self.messages.values())))


_CASE_LINK = Link("cases.case", ("case_id",), ("conference_cases", "id", "case_id"))
_SERIES_LINK = Link("conferences.series", ("series_id",), ("conference_series", "id", "series_id"))

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "cohort_reminder",
            _l("Reminders from your cohort's trainers"),
            {
                "": Message(
                    _l("A reminder from your cohort “%(name)s”"),
                    _l(
                        "%(trainer)s reminds you that your courses are waiting for you. "
                        "The cohort ends on %(ends_on)s."
                    ),
                )
            },
            Link("cohorts.cohort", ("cohort_id",), ("cohorts", "id", "cohort_id")),
        ),
        Kind(
            "session_reminder",
            _l("Reminders before case-conference sessions"),
            {"": Message(_l("Reminder: %(title)s"), _l("The session starts %(start_at)s."))},
            _SERIES_LINK,
        ),
        Kind(
            "session_changed",
            _l("Case-conference sessions moved or cancelled"),
            {
                "cancelled": Message(
                    _l("Cancelled: a session of “%(title)s”"),
                    _l("The session of %(original_at)s is cancelled."),
                ),
                "moved": Message(
                    _l("Moved: a session of “%(title)s”"),
                    _l("The session of %(original_at)s moves to %(new_at)s."),
                ),
                "restored": Message(
                    _l("Back at its time: a session of “%(title)s”"),
                    _l("The session of %(original_at)s is back at its scheduled time."),
                ),
                "series": Message(
                    _l("Changed: %(title)s"),
                    _l("The series has changed: its page shows the sessions as they are now."),
                ),
            },
            _SERIES_LINK,
        ),
        Kind(
            "case_decided",
            _l("Your conference cases accepted or declined"),
            {
                "accepted": Message(
                    _l("Your case is on the agenda of “%(series)s”"),
                    _l("It will be discussed at the session of %(session_at)s."),
                ),
                "declined": Message(
                    _l("Your case was declined for “%(series)s”"),
                    _l("The organisers did not take it for the session of %(session_at)s."),
                ),
            },
            _CASE_LINK,
        ),
        Kind(
            "case_recommendation",
            _l("The panel's recommendations on your cases"),
            {
                "": Message(
                    _l("A recommendation on your case in “%(series)s”"),
                    _l("The panel recorded its recommendation: open the case to read it."),
                )
            },
            _CASE_LINK,
        ),
        Kind(
            "certificate",
            _l("Your certificates issued, revoked or reinstated"),
            {
                "issued": Message(
                    _l("Certificate issued: %(course)s"),
                    _l("Well done! Your certificate's code is %(code)s."),
                ),
                "revoked": Message(
                    _l("Certificate revoked: %(course)s"),
                    _l("Your certificate %(code)s was revoked: %(reason)s"),
                ),
                "reinstated": Message(
                    _l("Certificate valid again: %(course)s"),
                    _l("The revocation of your certificate %(code)s was undone."),
                ),
            },
            Link("learning.certificate", ("code",), ("certificates", "code", "code")),
        ),
        Kind(
            "catalog_imported",
            _l("Your translation uploads imported"),
            {
                "imported": Message(
                    _l("Your %(locale)s translation of “%(course)s” is live"),
                    _l("Learners now read the revision you uploaded."),
                ),
                "failed": Message(
                    _l("Your %(locale)s translation of “%(course)s” could not be imported"),
                    _l(
                        "The courses' import failed, so learners still read the earlier "
                        "text. Open the catalog to check it, or ask an administrator."
                    ),
                ),
            },
            Link("translate.course", ("locale", "course_key")),
        ),
        Kind(
            "placement",
            _l("Observership placements: nominations, selection, acceptance"),
            {
                "nominated": Message(
                    _l("Nominated for the placement “%(title)s”"),
                    _l("%(observer)s is nominated for an observership at %(host)s."),
                ),
                "applied": Message(
                    _l("An application for “%(title)s” waits for you"),
                    _l(
                        "%(observer)s applied for an observership at %(host)s: "
                        "endorse or decline it."
                    ),
                ),
                "endorsed": Message(
                    _l("Endorsed for the placement “%(title)s”"),
                    _l("The application of %(observer)s to %(host)s is endorsed."),
                ),
                "selected": Message(
                    _l("Selected for the placement “%(title)s”"),
                    _l("%(observer)s is selected for %(host)s, which will now set the dates."),
                ),
                "accepted": Message(
                    _l("Accepted: the placement “%(title)s”"),
                    _l("%(host)s takes %(observer)s from %(starts_on)s."),
                ),
                "declined": Message(
                    _l("Declined: the placement “%(title)s”"),
                    _l("The placement of %(observer)s at %(host)s was declined: %(reason)s"),
                ),
                "withdrawn": Message(
                    _l("Withdrawn: the placement “%(title)s”"),
                    _l("%(observer)s no longer takes part in the placement at %(host)s."),
                ),
            },
            # The notifications package sits below placements: it names the page only.
            Link("placements.placement", ("placement_id",), ("placements", "id", "placement_id")),
        ),
        Kind(
            "placement_agreement",
            _l("Observership objectives agreed and assessments recorded"),
            {
                "proposed": Message(
                    _l("Objectives proposed: “%(title)s”"),
                    _l(
                        "%(actor)s set the learning objectives of %(observer)s at %(host)s: "
                        "they wait for the supervisor's agreement."
                    ),
                ),
                "agreed": Message(
                    _l("Objectives agreed: “%(title)s”"),
                    _l("%(actor)s agreed the learning objectives of %(observer)s at %(host)s."),
                ),
                "reopened": Message(
                    _l("Objectives reopened: “%(title)s”"),
                    _l(
                        "%(actor)s reopened the learning objectives of %(observer)s at "
                        "%(host)s: they may be changed, then agreed again."
                    ),
                ),
                "assessed_mid": Message(
                    _l("Mid-point assessment: “%(title)s”"),
                    _l("%(actor)s assessed %(observer)s at the mid-point of %(host)s."),
                ),
                "corrected_mid": Message(
                    _l("Mid-point assessment corrected: “%(title)s”"),
                    _l("%(actor)s corrected the mid-point assessment of %(observer)s."),
                ),
                "assessed_final": Message(
                    _l("Final assessment: “%(title)s”"),
                    _l(
                        "%(actor)s recorded the final assessment of %(observer)s at %(host)s: "
                        "the placement is completed."
                    ),
                ),
            },
            Link("placements.placement", ("placement_id",), ("placements", "id", "placement_id")),
        ),
        # What a placement leads to (placements/completion.py, outcomes.py, tasks.py).
        Kind(
            "placement_outcome",
            _l("Observership outcomes: certificate, adaptation plan, follow-ups"),
            {
                "completed": Message(
                    _l("Completed: the placement “%(title)s”"),
                    _l(
                        "The observership of %(observer)s at %(host)s is completed. "
                        "Certificate of observership: %(code)s."
                    ),
                ),
                "plan_shared": Message(
                    _l("Adaptation plan shared: “%(title)s”"),
                    _l(
                        "%(observer)s shared the changes they will make after the "
                        "observership at %(host)s."
                    ),
                ),
                "follow_up_due": Message(
                    _l("%(months)s months on: where do the changes stand?"),
                    _l(
                        "Say for each change %(observer)s planned after the observership "
                        "at %(host)s whether it is not started, in progress, done or dropped."
                    ),
                ),
                "revoked": Message(
                    _l("Certificate of observership revoked: %(code)s"),
                    _l("The certificate for “%(title)s” was revoked: %(reason)s"),
                ),
                "reinstated": Message(
                    _l("Certificate of observership reinstated: %(code)s"),
                    _l("The certificate for “%(title)s” is valid again."),
                ),
            },
            Link("placements.placement", ("placement_id",), ("placements", "id", "placement_id")),
        ),
        Kind(
            "placement_logbook",
            _l("Observership logbook: submitted days, comments, weekly check-ins"),
            {
                "submitted": Message(
                    _l("Logbook: %(observer)s submitted %(day_on)s"),
                    _l("%(observer)s submitted the logbook entry of %(day_on)s (“%(title)s”)."),
                ),
                "commented": Message(
                    _l("Logbook: a comment on %(day_on)s"),
                    _l("Your supervisor commented on your logbook entry of %(day_on)s."),
                ),
                "check_in": Message(
                    _l("Logbook: the check-in of week %(week)s"),
                    _l("%(by)s wrote the check-in of week %(week)s (“%(title)s”)."),
                ),
            },
            Link(
                "placements.logbook_page",
                ("placement_id",),
                ("placements", "id", "placement_id"),
            ),
        ),
        # A library video's transcoding (library/tasks.py), told to its uploader.
        Kind(
            "library_video",
            _l("Library videos: transcoding done or failed"),
            {
                "ready": Message(
                    _l("Video ready: “%(title)s”"),
                    _l("Its renditions and poster are made: you may publish it."),
                ),
                "failed": Message(
                    _l("Video failed: “%(title)s”"),
                    _l("ffmpeg could not transcode it; its page says why."),
                ),
            },
            Link("library.manage_video", ("video_id",), ("videos", "id", "video_id")),
        ),
        Kind(
            "protocol_review_due",
            _l("Protocols you wrote that are due for review"),
            {
                "": Message(
                    _l("Protocol due for review: %(title)s"),
                    _l(
                        "“%(title)s” was to be reviewed by %(review_on)s: please review it "
                        "and start its next version."
                    ),
                ),
            },
            Link("protocols.current", ("slug",), ("protocols", "slug", "slug")),
        ),
        # The review of a protocol's draft (app/protocols/review.py, publishing.py).
        Kind(
            "protocol_review",
            _l("Protocols: review invitations, comments, proposals, approvals, publication"),
            {
                "invited": Message(
                    _l("Please review: “%(title)s”"),
                    _l("%(actor)s asks you to review the draft of “%(title)s”."),
                ),
                "commented": Message(
                    _l("A comment on “%(title)s”"),
                    _l("%(actor)s commented on the section “%(section)s”."),
                ),
                "proposed": Message(
                    _l("A proposed change to “%(title)s”"),
                    _l("%(actor)s proposes a change to the section “%(section)s”."),
                ),
                "proposal_accepted": Message(
                    _l("Your proposal was accepted: “%(title)s”"),
                    _l("%(actor)s accepted your change to the section “%(section)s”."),
                ),
                "proposal_rejected": Message(
                    _l("Your proposal was not accepted: “%(title)s”"),
                    _l("%(actor)s did not accept your change to “%(section)s”: %(note)s"),
                ),
                "approved": Message(
                    _l("Approved: “%(title)s”"),
                    _l("%(actor)s approved the draft of “%(title)s”."),
                ),
                "published": Message(
                    _l("Published: “%(title)s”, version %(number)s"),
                    _l("%(actor)s published version %(number)s of “%(title)s”."),
                ),
            },
            Link("protocols.protocol", ("slug",), ("protocols", "id", "protocol_id")),
        ),
    )
}


def kind_named(name: str) -> Kind | None:
    """The kind called ``name`` (None for one no longer known, e.g. an old row's)."""
    return KINDS.get(name)
