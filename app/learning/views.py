"""Certificates: the holder's list (with their other CPD hours), a printable page, the PDF,
revoking (confirmed) and reinstating, public verification."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import REVOKE, load_or_404
from app.auth.policies import ADMIN, PUBLIC, SIGNED_IN, allow
from app.exceptions import ValidationFailed
from app.extensions import db, limiter
from app.learning import bp, tasks
from app.learning.certificates import reinstate_certificate, revoke_certificate
from app.learning.cpd import cpd_statement
from app.learning.forms import RevokeForm
from app.learning.models import Certificate
from app.learning.queries import find_certificate, issuer_of, list_certificates
from app.learning.verification import find_verifiable, held_elsewhere
from app.storage import StorageUnavailable
from app.tasks import enqueue_after_commit, enqueue_now
from app.urls import external_url


def _verify_url(code: str) -> str:
    """From configuration, never the Host header: the stored PDF's QR code and link are
    read by everyone who is shown the certificate."""
    return external_url("learning.verify", code=code)


@bp.route("/certificates/")
@allow(SIGNED_IN)
def certificates():
    """The signed-in learner's certificates, and their other CPD hours (case conferences
    attended, …: each from the package that owns it)."""
    return render_template(
        "learning/certificates.html",
        certificates=list_certificates(current_user),
        others=held_elsewhere(current_user),  # e.g. certificates of observership
        cpd=cpd_statement(current_user),
        locale=str(get_locale()),
    )


@bp.route("/certificates/<code>")
@allow(SIGNED_IN)
def certificate(code: str):
    """A certificate, laid out to print on one page, with its QR code. Its PDF in this
    language is made in the background meanwhile, so that the download is immediate."""
    certificate = load_or_404(Certificate, code)
    locale = str(get_locale())
    if certificate.revoked_at is None:
        enqueue_now(tasks.generate_certificate_pdf.s(certificate.id, locale, _verify_url(code)))
    return render_template(
        "learning/certificate.html",
        certificate=certificate,
        verify_url=_verify_url(certificate.code),
        verify_page=external_url("learning.verify"),
        locale=locale,
    )


@bp.route("/certificates/<code>/pdf")
@allow(SIGNED_IN)
def certificate_download(code: str):
    """The certificate as a PDF in the viewer's language: the stored one, else made now
    (and stored), so that nobody waits on a worker that is busy or down."""
    certificate = load_or_404(Certificate, code)
    if certificate.revoked_at is not None:
        abort(410)  # a revoked certificate is not issued again
    locale = str(get_locale())
    data = tasks.stored_certificate(certificate, locale)
    if data is None:
        data = tasks.render_certificate(certificate, locale, _verify_url(certificate.code))
        try:
            tasks.store_certificate(certificate, data, locale)
        except StorageUnavailable:
            current_app.logger.warning("Certificate %s not stored: store unavailable", code)
    filename = f"palliare-certificate-{certificate.code}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/certificates/<code>/revoke", methods=["GET", "POST"])
@allow(ADMIN)
def revoke(code: str):
    """Revoke a certificate: a page first says whose it is and what follows, and asks for
    the reason (administrators); the certificate page then offers to undo it."""
    certificate = load_or_404(Certificate, code, REVOKE)
    if certificate.revoked_at is not None:
        flash(_("This certificate is already revoked."), "info")
        return redirect(url_for("learning.certificate", code=certificate.code), 303)
    form = RevokeForm()
    if form.validate_on_submit():
        revoke_certificate(current_user, certificate, form.reason.data)
        enqueue_after_commit(tasks.delete_certificate_pdfs.s(certificate.code))
        db.session.commit()
        flash(_("The certificate has been revoked."), "info")
        return redirect(url_for("learning.certificate", code=certificate.code), 303)
    return render_template(
        "learning/revoke.html",
        certificate=certificate,
        form=form,
        locale=str(get_locale()),
    ), 400 if form.errors else 200


@bp.route("/certificates/<code>/reinstate", methods=["POST"])
@allow(ADMIN)
def reinstate(code: str):
    """Undo a revocation: the certificate is valid again (administrators)."""
    certificate = load_or_404(Certificate, code, REVOKE)
    try:
        reinstate_certificate(current_user, certificate)
    except ValidationFailed as error:
        flash(str(error), "error")
        return redirect(url_for("learning.certificate", code=certificate.code), 303)
    db.session.commit()
    flash(_("The certificate has been reinstated: it is valid again."), "success")
    return redirect(url_for("learning.certificate", code=certificate.code), 303)


@bp.route("/verify/")
@bp.route("/verify/<code>")
@allow(PUBLIC)
@limiter.limit("60 per minute")
def verify(code: str | None = None):
    """Anyone may check a certificate: name, course, date, hours and status — nothing else.
    Codes of other packages' certificates (observerships) are found through their
    registered lookups (app/learning/verification.py)."""
    code = code or request.args.get("code", "").strip()
    if not code:
        return render_template("learning/verify.html", certificate=None, found=None, code="")
    certificate = find_certificate(code) if len(code) <= 20 else None
    found = find_verifiable(code) if certificate is None and len(code) <= 20 else None
    status = 200 if certificate or found else 404
    return render_template(
        "learning/verify.html",
        certificate=certificate,
        found=found,
        issuer=issuer_of(certificate) if certificate else None,
        code=code[:20],
        locale=str(get_locale()),
    ), status
