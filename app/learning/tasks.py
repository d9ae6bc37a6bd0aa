"""Background tasks of this feature (see app/tasks.py): certificate PDFs, made ahead and
kept in the file store, one per certificate and language, and removed when revoked."""

import logging

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from app.auth.models import User
from app.db_types import utcnow
from app.extensions import db
from app.learning.models import Certificate
from app.learning.pdf import certificate_pdf
from app.learning.receipts import prune_receipts
from app.storage import StorageUnavailable, check_key, file_store
from app.storage_tasks import owns_files
from app.tasks import crontab, periodic_task, task

log = logging.getLogger(__name__)

PREFIX = "certificates"  # certificates/<code>/<locale>.pdf


def certificate_key(code: str, locale: str) -> str:
    """Where a certificate's PDF in ``locale`` is kept."""
    return check_key(f"{PREFIX}/{code}/{locale}.pdf")


def holder_timezone(certificate: Certificate) -> str:
    """The holder's time zone (profile, then institution), for the date of issue."""
    user = db.session.get(User, certificate.completion.user_id)
    zone = user and (user.timezone or (user.institution and user.institution.timezone))
    return zone or "UTC"


def render_certificate(certificate: Certificate, locale: str, verify_url: str) -> bytes:
    """The certificate's PDF in ``locale`` (about a second: fonts are embedded)."""
    with force_locale(locale):
        return certificate_pdf(certificate, locale, verify_url, holder_timezone(certificate))


def stored_certificate(certificate: Certificate, locale: str) -> bytes | None:
    """The stored PDF, or None when there is none yet (or the store cannot be reached)."""
    try:
        return file_store().get(certificate_key(certificate.code, locale))
    except KeyError:
        return None
    except StorageUnavailable:
        log.warning("File store unavailable; certificate %s made afresh", certificate.code)
        return None


def store_certificate(certificate: Certificate, data: bytes, locale: str) -> None:
    """Keep a certificate's PDF (StorageUnavailable when the store cannot take it); one
    revoked meanwhile is deleted again."""
    key = certificate_key(certificate.code, locale)
    file_store().put(key, data, "application/pdf")
    revoked = db.session.scalar(
        select(Certificate.revoked_at).where(Certificate.id == certificate.id)
    )
    if revoked is not None:
        file_store().delete(key)


@task(retries=3, retry_delay=60)
def generate_certificate_pdf(certificate_id: int, locale: str, verify_url: str) -> None:
    """Make and store a certificate's PDF in ``locale``, unless it is there or revoked."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.revoked_at is not None:
        return
    if file_store().exists(certificate_key(certificate.code, locale)):
        return
    store_certificate(certificate, render_certificate(certificate, locale, verify_url), locale)


@task(retries=5, retry_delay=60)
def delete_certificate_pdfs(code: str) -> None:
    """Remove every stored PDF of a (revoked) certificate."""
    store = file_store()
    for key, _modified in list(store.keys(f"{PREFIX}/{code}/")):
        store.delete(key)


@owns_files(f"{PREFIX}/")
def referenced_certificate_files(keys: list[str]) -> set[str]:
    """The PDFs of certificates that exist and are not revoked."""
    codes = {key.split("/")[1] for key in keys if key.count("/") == 2}
    valid = set(
        db.session.scalars(
            select(Certificate.code).where(
                Certificate.code.in_(codes), Certificate.revoked_at.is_(None)
            )
        )
    )
    return {key for key in keys if key.count("/") == 2 and key.split("/")[1] in valid}


@periodic_task(crontab(minute="29", hour="3"), lock="receipts-prune", lock_ttl=600)
def prune_old_receipts() -> None:
    """Every night: forget the receipts of forms sent more than the retention ago."""
    prune_receipts(utcnow(), current_app.config["RECEIPT_RETENTION_DAYS"])
    db.session.commit()
