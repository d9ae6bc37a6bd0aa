"""The certificate of observership's pages: the certificate (holder, their home
coordinators, the host's coordinators, administrators; others 404), its PDF, and revoking
and reinstating it (administrators). /verify is learning's page (see
observership_certificates.py for how it finds these)."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import REVOKE, VIEW, can, load_or_404
from app.auth.policies import ADMIN, SIGNED_IN, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.placements import bp
from app.placements import observership_certificates as certificates
from app.placements.certificate_pdf import observership_certificate_pdf
from app.placements.models import ObservershipCertificate
from app.placements.outcome_forms import FollowUpForm, RevokeForm
from app.urls import external_url


def _verify_url(code: str) -> str:
    return external_url("learning.verify", code=code)


@bp.route("/placements/certificates/<code>")
@allow(SIGNED_IN)
def observership_certificate(code: str):
    """The certificate: holder, host coordinators, home coordinators, administrators."""
    certificate = load_or_404(ObservershipCertificate, code, VIEW)
    return render_template(
        "placements/observership_certificate.html",
        certificate=certificate,
        verify_url=_verify_url(certificate.code),
        verify_page=external_url("learning.verify"),
        may_revoke=can(current_user, REVOKE, certificate),
        form=RevokeForm(),
    )


@bp.route("/placements/certificates/<code>/pdf")
@allow(SIGNED_IN)
def observership_certificate_pdf_download(code: str):
    certificate = load_or_404(ObservershipCertificate, code, VIEW)
    if certificate.revoked_at is not None:
        abort(410)  # a revoked certificate is not issued again
    data = observership_certificate_pdf(
        certificate, str(get_locale()), _verify_url(certificate.code)
    )
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": (
                f'attachment; filename="palliare-observership-{certificate.code}.pdf"'
            ),
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/placements/certificates/<code>/revoke", methods=["POST"])
@allow(ADMIN)
def revoke_observership_certificate(code: str):
    """Revoke with a reason (administrators): /verify then says it is revoked."""
    certificate = load_or_404(ObservershipCertificate, code, REVOKE)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            certificates.revoke_observership_certificate(
                current_user, certificate, form.reason.data
            )
        except ValidationFailed as error:
            show_on_form(form, error, "reason")
        else:
            db.session.commit()
            flash(_("The certificate has been revoked."), "info")
            return redirect(
                url_for("placements.observership_certificate", code=certificate.code), 303
            )
    return render_template(
        "placements/observership_certificate.html",
        certificate=certificate,
        verify_url=_verify_url(certificate.code),
        verify_page=external_url("learning.verify"),
        may_revoke=True,
        form=form,
    ), 400


@bp.route("/placements/certificates/<code>/reinstate", methods=["POST"])
@allow(ADMIN)
def reinstate_observership_certificate(code: str):
    certificate = load_or_404(ObservershipCertificate, code, REVOKE)
    if not FollowUpForm().validate_on_submit():
        abort(400)
    try:
        certificates.reinstate_observership_certificate(current_user, certificate)
    except ValidationFailed as error:
        flash(str(error), "error")
        return redirect(url_for("placements.observership_certificate", code=certificate.code), 303)
    db.session.commit()
    flash(_("The certificate has been reinstated: it is valid again."), "success")
    return redirect(url_for("placements.observership_certificate", code=certificate.code), 303)
