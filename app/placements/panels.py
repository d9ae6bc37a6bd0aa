"""What the placement page shows each viewer of the parts of an accepted placement: the
learning agreement and assessments, the logbook, and what the placement leads to. One
function per part (its template is named in its docstring); the part's own pages live in
agreement_views.py, logbook_views.py and outcome_views.py."""

import html
from decimal import Decimal

from app.auth.models import User
from app.auth.permissions import VIEW, can
from app.extensions import db
from app.placements import (
    agreement,
    agreement_queries,
    assessment,
    competencies,
    days,
    logbook,
    logbook_queries,
    outcome_queries,
    outcomes,
)
from app.placements.access import SUPERVISE
from app.placements.models import CHANGE_STATUS_LABELS, Placement, Stage, State


def agreement_panel(placement: Placement, user) -> dict:
    """What the placement page shows ``user`` of this part (placements/_agreement.html):
    nothing before acceptance; then the objectives, their agreement and the assessments
    (kept in view if the observer withdraws later), with what ``user`` may do now."""
    if placement.starts_on is None:  # never accepted
        return {}
    today = days.host_today(placement)
    supervisor = can(user, SUPERVISE, placement)
    recorded = agreement_queries.list_assessments(placement)
    stages = []
    for stage in Stage:
        reason = assessment.blocker(placement, stage, today)
        stages.append(
            {
                "stage": stage,
                "label": assessment.STAGE_LABELS[stage],
                "assessment": recorded.get(stage),
                "ratings": {r.objective_id: r for r in getattr(recorded.get(stage), "ratings", [])},
                "may_assess": supervisor and reason is None,
                "why_not": reason if supervisor and placement.state == State.ACCEPTED else None,
            }
        )
    return {
        "objectives": objectives_shown(placement),
        "agreed_by": agreed_by(placement),
        "may_set": agreement.may_set_objectives(user, placement),
        "may_agree": agreement.may_agree(user, placement),
        "may_reopen": agreement.may_reopen(user, placement),
        "late": placement.state == State.ACCEPTED
        and placement.agreed_at is None
        and today >= placement.starts_on,
        "stages": stages,
        "scale": assessment.ENTRUSTMENT,
    }


def objectives_shown(placement: Placement) -> list[dict]:
    """Each objective's number and words (a competency's title in the viewer's language)."""
    titles = competencies.titles_of(
        o.competency_code for o in placement.objectives if o.competency_code
    )
    return [
        {
            "id": o.id,
            "position": o.position,
            "title": titles.get(o.competency_code, o.competency_code)
            if o.competency_code
            else o.text,
            "listed": o.competency_code is not None,
        }
        for o in placement.objectives
    ]


def agreed_by(placement: Placement) -> User | None:
    if placement.agreed_by_id is None:
        return None
    return db.session.get(User, placement.agreed_by_id)


def logbook_panel(placement: Placement, user) -> dict:
    """What the placement page shows ``user`` of this part (placements/_logbook.html)."""
    if placement.starts_on is None or placement.state not in (State.ACCEPTED, State.COMPLETED):
        return {}
    entries = logbook_queries.list_entries(placement)
    submitted = [e for e in entries if e.submitted_at is not None]
    observer = placement.observer_id == user.id
    today = days.host_today(placement)
    check_ins = logbook_queries.list_check_ins(placement)
    latest = check_ins[max(check_ins)] if check_ins else None
    weeks = {w.starts_on: w.number for w in logbook.weeks(placement)}
    may_write = observer and placement.state == State.ACCEPTED
    return {
        "days_logged": len(submitted),
        "total_days": (placement.ends_on - placement.starts_on).days + 1,
        "hours": sum((logbook.entry_hours(e) for e in submitted), Decimal(0)),
        "drafts": len(entries) - len(submitted) if observer else None,
        "latest_check_in": latest,
        "latest_week": weeks.get(latest.week_starts_on) if latest else None,
        "latest_note": _shorten(html.unescape(latest.note)) if latest else "",
        "write_today": today if may_write and logbook.in_placement(placement, today) else None,
    }


def _shorten(text: str, most: int = 200) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def outcomes_panel(placement: Placement, user) -> dict:
    """What the placement page shows ``user`` of this part (placements/_outcomes.html)."""
    if placement.state not in (State.ACCEPTED, State.COMPLETED):
        return {}
    certificate = outcome_queries.certificate_of(placement)
    follow_ups = outcome_queries.follow_ups_of(placement) if placement.plan_shared_at else {}
    today = days.home_today(placement)
    statuses = {change.id: dict.fromkeys(outcomes.FOLLOW_UP_MONTHS) for change in placement.changes}
    for months, follow_up in follow_ups.items():
        for answer in follow_up.answers:
            if answer.change_id in statuses:
                statuses[answer.change_id][months] = answer
    return {
        "shown": True,
        "certificate": certificate,
        "may_see_certificate": certificate is not None and can(user, VIEW, certificate),
        "may_record_host_learning": outcomes.may_record_host_learning(user, placement),
        "host_learning_by": db.session.get(User, placement.host_learning_by_id)
        if placement.host_learning_by_id
        else None,
        "changes": placement.changes,
        "may_write_plan": outcomes.may_write_plan(user, placement, days.host_today(placement)),
        "plan_opens_on": outcomes.plan_opens_on(placement),
        "is_observer": placement.observer_id == user.id,
        "may_share_plan": outcomes.may_share_plan(user, placement),
        "follow_ups": [
            (months, follow_up, outcomes.is_open(follow_up, today))
            for months, follow_up in sorted(follow_ups.items())
        ],
        "may_answer": outcomes.may_answer(user, placement),
        "statuses": statuses,
        "status_labels": CHANGE_STATUS_LABELS,
    }
