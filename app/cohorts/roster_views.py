"""Enrolling a cohort from a roster file, and reminding its learners by e-mail."""

from dataclasses import dataclass
from types import SimpleNamespace

from babel.lists import format_list
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.auth.permissions import MANAGE, load_or_404
from app.auth.policies import COHORT_STAFF, allow
from app.cohorts import bp, reminders
from app.cohorts import roster as rosters
from app.cohorts.forms import RosterForm
from app.cohorts.models import Cohort
from app.cohorts.roster import roster_reference
from app.cohorts.roster_csv import read_roster, sample_roster
from app.cohorts.services import local_today
from app.email import render_email
from app.exceptions import ValidationFailed
from app.extensions import db, limiter, per_user
from app.notifications.outbox import Mail, queue_emails
from app.notifications.services import Notice, notify_all
from app.urls import external_url


def _roster_limit() -> str:
    return current_app.config["ROSTER_RATE_LIMIT"]


@bp.route("/cohorts/<int:cohort_id>/roster", methods=["GET", "POST"])
@allow(COHORT_STAFF)
@limiter.limit(_roster_limit, key_func=per_user, methods=["POST"])
def roster(cohort_id: int):
    """Upload a roster: checked in full, then all rows enrolled or invited, or none."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    form = RosterForm()
    problems = []
    if form.validate_on_submit():
        institutions = rosters.roster_institutions(current_user, cohort)
        rows, problems = read_roster(form.roster.data.read(), set(institutions))
        if not problems:
            try:
                outcome = rosters.enrol_roster(current_user, cohort, rows)
            except ValidationFailed as error:
                db.session.rollback()
                form.roster.errors.append(str(error))
            else:
                _queue_invitations(cohort, outcome)
                db.session.commit()
                _report(cohort, outcome)
                return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
    status = 422 if problems or form.errors else 200
    return render_template(
        "cohorts/roster.html", cohort=cohort, form=form, problems=problems
    ), status


@bp.route("/cohorts/<int:cohort_id>/roster/sample.csv")
@allow(COHORT_STAFF)
def roster_sample(cohort_id: int):
    """A sample roster to fill in (the columns the upload reads, two example rows)."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    response = Response(sample_roster(cohort.institution.name), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="roster-sample.csv"'
    return response


def _queue_invitations(cohort, outcome) -> None:
    """Invitations to new people; the join link to people who have an account elsewhere.
    The cohort page counts them (queued, sent, failed) under ``roster:<cohort>``."""
    join_link = external_url("cohorts.join_link", join_code=cohort.join_code)
    context = {"inviter": current_user, "cohort": cohort}
    mails = [
        Mail(
            invitation.email,
            "invitation",
            cohort.locale,
            {
                **context,
                "invitation": invitation,
                "reference": f"invitation:{invitation.id}",
                "link": external_url("auth.join", token=token),
            },
        )
        for invitation, token in outcome.invited
    ] + [
        Mail(
            user.email,
            "join_cohort",
            user.locale or cohort.locale,
            {**context, "person": user, "link": join_link},
        )
        for user in outcome.asked_to_join
    ]
    queue_emails(mails, sent_by=current_user, reference=roster_reference(cohort))


def _report(cohort, outcome) -> None:
    """What happened, without telling which addresses elsewhere have an account."""
    enrolled = len(outcome.enrolled)
    invited = len(outcome.invited) + len(outcome.asked_to_join)
    flash(ngettext("%(num)d learner enrolled.", "%(num)d learners enrolled.", enrolled), "success")
    flash(
        ngettext(
            "%(num)d invitation queued for sending: the cohort page shows when it is sent.",
            "%(num)d invitations queued for sending: the cohort page shows when they are sent.",
            invited,
        ),
        "success",
    )
    if outcome.unchanged:
        flash(
            ngettext(
                "%(num)d person was already in the cohort or invited.",
                "%(num)d people were already in the cohort or invited.",
                outcome.unchanged,
            ),
            "info",
        )


def _reminder_limit() -> str:
    return current_app.config["REMINDER_RATE_LIMIT"]


@bp.route("/cohorts/<int:cohort_id>/reminders", methods=["POST"])
@allow(COHORT_STAFF)
@limiter.limit(_reminder_limit, key_func=per_user)
def send_reminders(cohort_id: int):
    """E-mail a reminder to the chosen learners (each at most once a day)."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    learner_ids = [int(v) for v in request.form.getlist("learner") if v.isdigit()]
    try:
        today = local_today(cohort)  # the learner's day where the cohort is
        outcome = reminders.record_reminders(current_user, cohort, learner_ids, today)
    except ValidationFailed as error:
        flash(str(error), "error")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    notify_all(_reminder_notices(cohort, outcome.reminded), sent_by=current_user)
    db.session.commit()
    _flash_reminded(outcome)
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)


def _reminder_notices(cohort: Cohort, reminded) -> list[Notice]:
    """Each reminded learner is told in their list and/or by the reminder's e-mail, as
    they chose."""
    params = {"name": cohort.name, "cohort_id": cohort.id, "ends_on": cohort.ends_on}
    return [
        Notice(learner, "cohort_reminder", {**params, "trainer": current_user.name}, mail)
        for (learner, _reminder), mail in zip(
            reminded, _reminder_mails(cohort, reminded), strict=True
        )
    ]


def _reminder_mails(cohort: Cohort, reminded) -> list[Mail]:
    """One e-mail per (learner, reminder), in the learner's language."""
    link = external_url("cohorts.cohort", cohort_id=cohort.id)
    return [
        Mail(
            learner.email,
            "reminder",
            learner.locale or cohort.locale,
            {
                "learner": learner,
                "cohort": cohort,
                "trainer": current_user,
                "link": link,
                "reference": f"reminder:{reminder.id}",
            },
        )
        for learner, reminder in reminded
    ]


def _flash_reminded(outcome) -> None:
    flash(
        ngettext(
            "Reminder queued for %(num)d learner.",
            "Reminders queued for %(num)d learners.",
            len(outcome.reminded),
        ),
        "success",
    )
    if outcome.already_today:
        names = format_list(
            [learner.name for learner in outcome.already_today[:10]], locale=get_locale()
        )
        flash(_("Already reminded today, not sent again: %(names)s", names=names), "info")


@bp.route("/cohorts/<int:cohort_id>/reminders/preview", methods=["POST"])
@allow(COHORT_STAFF)
def preview_reminders(cohort_id: int):
    """The reminder exactly as its recipients will get it, once per language among them,
    before anything is sent (a POST that changes nothing: the selection can be long)."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    learner_ids = [int(v) for v in request.form.getlist("learner") if v.isdigit()]
    try:
        plan = reminders.plan_reminders(current_user, cohort, learner_ids, local_today(cohort))
    except ValidationFailed as error:
        flash(str(error), "error")
        return redirect(url_for("cohorts.cohort", cohort_id=cohort.id, _anchor="progress"), 303)
    return render_template(
        "cohorts/reminder_preview.html",
        cohort=cohort,
        plan=plan,
        samples=_samples(cohort, plan.recipients),
    )


@dataclass
class _Sample:
    """The reminder as one recipient of a language gets it, and how many share it."""

    locale: str
    learner: User
    count: int
    subject: str
    text: str


def _samples(cohort: Cohort, recipients: list[User]) -> list[_Sample]:
    """One rendered reminder per language among ``recipients``, made by the very code
    that queues them (``_reminder_mails``), so the preview cannot differ from the mail."""
    by_language: dict[str, list[User]] = {}
    for learner in recipients:
        by_language.setdefault(learner.locale or cohort.locale, []).append(learner)
    samples = []
    for locale, learners in by_language.items():
        unsent = SimpleNamespace(id=0)  # no reminder is logged for a preview
        [mail] = _reminder_mails(cohort, [(learners[0], unsent)])
        context = {k: v for k, v in mail.context.items() if k != "reference"}
        subject, text, _html = render_email(mail.template, mail.locale, **context)
        samples.append(_Sample(mail.locale or locale, learners[0], len(learners), subject, text))
    return samples
