"""Administrators edit accounts and roles."""

from app.auth.models import Role, User
from app.extensions import db
from tests.factories import make_institution, make_programme, make_user
from tests.helpers import post_form, text_of


def test_admin_lists_and_searches_users(client, login):
    login(make_user(roles=[Role.ADMIN]))
    make_user(name="Aigerim Nurlanovna")
    make_user(name="Li Wei")
    html = text_of(client.get("/admin/users?q=aigerim"))
    assert "Aigerim Nurlanovna" in html and "Li Wei" not in html


def test_user_list_uses_a_fixed_number_of_queries(app, client, login):
    from sqlalchemy import event

    login(make_user(roles=[Role.ADMIN]))
    institution = make_institution()

    def count_queries(extra_users):
        for _ in range(extra_users):
            make_user(institution=institution)
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            client.get("/admin/users")
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    assert count_queries(2) == count_queries(20)


def test_admin_deactivates_an_account_and_it_can_no_longer_sign_in(client, login):
    admin = make_user(roles=[Role.ADMIN])
    user = make_user()
    login(admin)
    form = {"name": user.name, "profession": "nurse", "institution": 0}
    assert post_form(client, f"/admin/users/{user.id}", form).status_code == 302
    assert db.session.get(User, user.id).active is False


def test_admin_grants_and_revokes_a_scoped_role(client, login):
    admin, user = make_user(roles=[Role.ADMIN]), make_user()
    programme = make_programme()
    login(admin)
    url = f"/admin/users/{user.id}/roles"
    form = {
        "role-role": "funder",
        "role-institution": 0,
        "role-programme": programme.id,
        "role-locale": "",
    }
    assert post_form(client, url, form, form_page=f"/admin/users/{user.id}").status_code == 302
    user = db.session.get(User, user.id)
    assert user.funded_programme_ids == {programme.id}
    funder_role = next(a for a in user.role_assignments if a.role == Role.FUNDER)
    revoke = f"/admin/users/{user.id}/roles/{funder_role.id}/revoke"
    assert post_form(client, revoke, {}, form_page=f"/admin/users/{user.id}").status_code == 302
    assert db.session.get(User, user.id).funded_programme_ids == set()


def test_scoped_role_without_scope_is_refused(client, login):
    admin, user = make_user(roles=[Role.ADMIN]), make_user()
    login(admin)
    form = {
        "role-role": "coordinator",
        "role-institution": 0,
        "role-programme": 0,
        "role-locale": "",
    }
    response = post_form(
        client, f"/admin/users/{user.id}/roles", form, form_page=f"/admin/users/{user.id}"
    )
    assert response.status_code == 400
    assert "needs a scope" in text_of(response)


def test_admin_signs_a_user_out_everywhere(app, client, login):
    from tests.helpers import sign_in

    user = make_user()
    device = app.test_client()
    assert sign_in(device, user.email, "palliare-demo").status_code == 302
    assert device.get("/profile").status_code == 200
    login(make_user(roles=[Role.ADMIN]))
    page = f"/admin/users/{user.id}"
    assert "Sign out everywhere" in client.get(page).get_data(as_text=True)
    response = post_form(client, f"{page}/sign-out", {}, form_page=page)
    assert response.status_code == 302
    assert device.get("/profile").status_code == 302
    assert client.get("/admin/users").status_code == 200  # the administrator stays


def test_sign_out_everywhere_needs_an_administrator_and_a_token(app, client, login):

    user = make_user()
    login(make_user(roles=[Role.TRAINER]))
    assert (
        post_form(client, f"/admin/users/{user.id}/sign-out", {}, form_page="/").status_code == 403
    )
