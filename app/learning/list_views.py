"""The administrators' list of certificates: found by holder, e-mail, code or course,
valid or revoked, fifty to a page (the certificate rule as a filter)."""

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.policies import ADMIN, allow
from app.learning import bp
from app.learning.forms import CertificateSearchForm
from app.learning.queries import CertificateFilter, certified_courses, search_certificates


def _search_form(locale: str) -> CertificateSearchForm:
    form = CertificateSearchForm(request.args)
    form.course.choices = [(0, _l("All courses"))] + [
        (course.id, course.title(locale)) for course in certified_courses()
    ]
    return form


@bp.route("/admin/certificates")
@allow(ADMIN)
def manage_certificates():
    """Every certificate one may revoke, searchable and paginated; ``?user=`` narrows it
    to one person's (linked from their account page)."""
    locale = str(get_locale())
    form = _search_form(locale)
    valid = form.validate()
    where = CertificateFilter(
        search=(form.q.data or "") if valid else "",
        course_id=(form.course.data or None) if valid else None,
        status=(form.status.data or "") if valid else "",
        user_id=request.args.get("user", type=int),
    )
    page = max(request.args.get("page", 1, type=int), 1)
    pagination = search_certificates(current_user, where, page=page)
    pager_args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "learning/manage.html",
        form=form,
        pagination=pagination,
        where=where,
        pager_args=pager_args,
        locale=locale,
    ), 200 if valid else 400
