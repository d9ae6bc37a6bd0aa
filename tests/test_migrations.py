"""The migrations and the models describe the same schema, on this run's database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_migrated_schema_matches_the_models(app):
    # The session database was built by `flask db upgrade` (see conftest), not create_all.
    connection = db.session.connection()  # the test's own (SQLite allows one writer)
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_as_batch": True}
    )
    differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_run_down_and_up_again(app, tmp_path):
    from flask_migrate import downgrade, upgrade

    from app import create_app

    other = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}")
    with other.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        assert "users" in db.inspect(db.engine).get_table_names()
