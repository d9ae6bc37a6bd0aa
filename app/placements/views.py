"""Placement pages: offers (list, page, form), a placement (its state, history and the
steps the viewer may take), "My placements" and the invitation letter."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import MANAGE, VIEW, can, load_or_404
from app.auth.policies import COORDINATORS, SIGNED_IN, allow
from app.courses import queries as course_queries
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.locales import language_choices
from app.placements import bp, panels, queries, services
from app.placements.access import LETTER, is_home_coordinator
from app.placements.forms import AcceptForm, NominateForm, OfferForm, ReasonForm
from app.placements.models import ACTIVITIES, Placement, PlacementOffer
from app.placements.pdf import invitation_pdf


@bp.route("/placements/")
@allow(SIGNED_IN)
def offers():
    """The offers the viewer may see, and their own placements."""
    return render_template(
        "placements/offers.html",
        offers=queries.list_offers(current_user),
        may_offer=bool(queries.offer_institutions(current_user)),
    )


@bp.route("/placements/mine")
@allow(SIGNED_IN)
def mine():
    """My placements: as observer, and those I follow (supervisor, coordinator, admin)."""
    own = queries.list_own_placements(current_user)
    followed = [
        p for p in queries.list_placements(current_user) if p.observer_id != current_user.id
    ]
    return render_template("placements/mine.html", own=own, followed=followed)


def _offer_form(offer: PlacementOffer | None = None) -> OfferForm:
    form = OfferForm(obj=offer)
    form.host.choices = [(i.id, i.name) for i in queries.offer_institutions(current_user)]
    form.programme.choices = [(p.id, p.name) for p in queries.list_programmes()]
    form.supervision_locale.choices = language_choices()
    form.activities.choices = [(code, str(label)) for code, label in ACTIVITIES.items()]
    locale = str(get_locale())
    form.prerequisite.choices = [(0, _("None"))] + [
        (c.id, c.title(locale)) for c in course_queries.list_courses()
    ]
    if offer is not None and not form.is_submitted():
        form.host.data = offer.host_institution_id
        form.programme.data = offer.programme_id
        form.prerequisite.data = offer.prerequisite_course_id or 0
        form.supervisors.data = "\n".join(s.email for s in offer.supervisors)
    return form


def _details(form: OfferForm) -> services.OfferDetails:
    hosts = {i.id: i for i in queries.offer_institutions(current_user)}
    programmes = {p.id: p for p in queries.list_programmes()}
    courses = {c.id: c for c in course_queries.list_courses()}
    if form.host.data not in hosts or form.programme.data not in programmes:
        raise ValidationFailed(_("Choose one of the listed options."), "host")
    return services.OfferDetails(
        programme=programmes[form.programme.data],
        host=hosts[form.host.data],
        title=form.title.data,
        window_starts_on=form.window_starts_on.data,
        window_ends_on=form.window_ends_on.data,
        fixed_dates=form.fixed_dates.data,
        length_days=form.length_days.data,
        places=form.places.data,
        supervision_locale=form.supervision_locale.data,
        activities=form.activities.data or [],
        supervisor_emails=(form.supervisors.data or "").splitlines(),
        prerequisite=courses.get(form.prerequisite.data),
    )


def _save_offer(form: OfferForm, offer: PlacementOffer | None):
    try:
        if offer is None:
            offer = services.create_offer(current_user, _details(form))
        else:
            services.update_offer(current_user, offer, _details(form))
    except (PermissionDenied, ValidationFailed) as error:
        show_on_form(form, error, "title")
        return None
    db.session.commit()
    return offer


@bp.route("/placements/offers/new", methods=["GET", "POST"])
@allow(COORDINATORS)
def new_offer():
    form = _offer_form()
    if not form.host.choices:
        abort(403)
    if form.validate_on_submit() and (offer := _save_offer(form, None)):
        flash(_("Placement offer “%(title)s” saved.", title=offer.title), "success")
        return redirect(url_for("placements.offer", offer_id=offer.id))
    status = 400 if form.errors else 200
    return render_template("placements/offer_form.html", form=form, offer=None), status


@bp.route("/placements/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@allow(COORDINATORS)
def edit_offer(offer_id: int):
    offer = load_or_404(PlacementOffer, offer_id, MANAGE)
    form = _offer_form(offer)
    if form.validate_on_submit() and _save_offer(form, offer):
        flash(_("Placement offer saved."), "success")
        return redirect(url_for("placements.offer", offer_id=offer.id))
    status = 400 if form.errors else 200
    return render_template("placements/offer_form.html", form=form, offer=offer), status


def _nominate_form(offer: PlacementOffer) -> NominateForm | None:
    """The form to nominate one of one's people, if one has people who could go: the
    host's own staff are not observers there."""
    people = [
        p for p in queries.nominees(current_user) if p.institution_id != offer.host_institution_id
    ]
    if not people:
        return None
    form = NominateForm()
    form.person.choices = [(p.id, f"{p.name} ({p.email})") for p in people]
    return form


@bp.route("/placements/offers/<int:offer_id>")
@allow(SIGNED_IN)
def offer(offer_id: int):
    """The offer's details; apply or nominate; its placements for those who follow them."""
    offer = load_or_404(PlacementOffer, offer_id, VIEW)
    return _offer_page(offer, _nominate_form(offer))


def _offer_page(offer, nominate_form, status=200):
    own = queries.open_placement_on(offer, current_user)
    return render_template(
        "placements/offer.html",
        offer=offer,
        may_manage=can(current_user, MANAGE, offer),
        placements=queries.list_placements(current_user, offer),
        own=own,
        may_apply=own is None and current_user.institution_id != offer.host_institution_id,
        nominate_form=nominate_form,
        taken=queries.count_holding_places(offer),
        activities=ACTIVITIES,
    ), status


@bp.route("/placements/offers/<int:offer_id>/apply", methods=["POST"])
@allow(SIGNED_IN)
def apply(offer_id: int):
    offer = load_or_404(PlacementOffer, offer_id, VIEW)
    try:
        placement = services.apply(current_user, offer)
    except ValidationFailed as error:
        db.session.rollback()
        flash(str(error), "error")
        return _offer_page(offer, _nominate_form(offer), 400)
    db.session.commit()
    flash(_("Applied: your coordinator will endorse or decline it."), "success")
    return redirect(url_for("placements.placement", placement_id=placement.id))


@bp.route("/placements/offers/<int:offer_id>/nominate", methods=["POST"])
@allow(COORDINATORS)
def nominate(offer_id: int):
    offer = load_or_404(PlacementOffer, offer_id, VIEW)
    form = _nominate_form(offer)
    if form is None:
        abort(403)
    if form.validate_on_submit():
        person = next(p for p in queries.nominees(current_user) if p.id == form.person.data)
        try:
            placement = services.nominate(current_user, offer, person)
        except (PermissionDenied, ValidationFailed) as error:
            show_on_form(form, error, "person")
        else:
            db.session.commit()
            flash(_("%(name)s is nominated.", name=person.name), "success")
            return redirect(url_for("placements.placement", placement_id=placement.id))
    return _offer_page(offer, form, 400)


def _accept_form(placement: Placement) -> AcceptForm:
    form = AcceptForm()
    form.supervisor.choices = [(s.id, s.name) for s in placement.offer.supervisors]
    if not form.is_submitted():
        form.starts_on.data = placement.offer.window_starts_on
    return form


def _placement_page(placement, accept_form=None, reason_form=None, status=200):
    user = current_user
    return render_template(
        "placements/placement.html",
        placement=placement,
        offer=placement.offer,
        may_endorse=services.may_endorse(user, placement),
        may_select=services.may_select(user, placement),
        may_accept=services.may_accept(user, placement),
        may_decline=services.may_decline(user, placement),
        may_withdraw=services.may_withdraw(user, placement),
        may_letter=can(user, LETTER, placement),
        home_coordinator=is_home_coordinator(user, placement.observer),
        accept_form=accept_form or _accept_form(placement),
        reason_form=reason_form or ReasonForm(),
        # What each part of an accepted placement shows this viewer (one module each).
        agreement=panels.agreement_panel(placement, user),
        logbook=panels.logbook_panel(placement, user),
        outcomes=panels.outcomes_panel(placement, user),
    ), status


@bp.route("/placements/<int:placement_id>")
@allow(SIGNED_IN)
def placement(placement_id: int):
    """Its state, its history (who and when), and the steps the viewer may take."""
    return _placement_page(load_or_404(Placement, placement_id, VIEW))


@bp.route("/placements/<int:placement_id>/<step>", methods=["POST"])
@allow(SIGNED_IN)
def step(placement_id: int, step: str):
    """One step of the state machine; the service refuses what the viewer may not do."""
    if step not in STEPS:
        abort(404)
    placement = load_or_404(Placement, placement_id, VIEW)
    accept_form, reason_form = _accept_form(placement), ReasonForm()
    form = accept_form if step == "accept" else reason_form
    if not form.validate_on_submit():
        return _placement_page(placement, accept_form, reason_form, 400)
    try:
        _take(step, placement, accept_form, reason_form)
    except (PermissionDenied, ValidationFailed) as error:
        show_on_form(form, error, "starts_on" if step == "accept" else "reason")
        if isinstance(error, PermissionDenied):
            return _placement_page(placement, accept_form, reason_form, 403)
        return _placement_page(placement, accept_form, reason_form, 400)
    db.session.commit()
    flash(_("Saved: the placement is now %(state)s.", state=placement.state_label), "success")
    return redirect(url_for("placements.placement", placement_id=placement.id))


STEPS = ("endorse", "select", "accept", "decline", "withdraw")


def _take(step: str, placement: Placement, accept_form: AcceptForm, reason_form: ReasonForm):
    user = current_user
    if step == "endorse":
        services.endorse(user, placement)
    elif step == "select":
        services.select_placement(user, placement)
    elif step == "accept":
        chosen = {s.id: s for s in placement.offer.supervisors}
        supervisor = chosen.get(accept_form.supervisor.data)
        services.accept(user, placement, accept_form.starts_on.data, supervisor)
    elif step == "decline":
        services.decline(user, placement, reason_form.reason.data)
    else:
        services.withdraw(user, placement, reason_form.reason.data)


@bp.route("/placements/<int:placement_id>/letter.pdf")
@allow(SIGNED_IN)
def letter(placement_id: int):
    """The invitation letter, once accepted: the host's language, then the observer's."""
    placement = load_or_404(Placement, placement_id, LETTER)
    filename = f"palliare-invitation-P-{placement.id:06d}.pdf"
    return Response(
        invitation_pdf(placement),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
