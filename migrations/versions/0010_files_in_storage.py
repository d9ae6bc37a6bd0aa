"""files in storage

Case attachments move out of the database into the file store (app/storage.py, at
STORAGE_URL): each row gets the key of its file, the bytes are copied to the store, and
the ``data`` column is dropped. Existing images were re-encoded when they were uploaded,
so they are served at once. If the store cannot be reached the upgrade stops before the
column is dropped (files already copied are swept as orphans once unreferenced).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

attachments = sa.table(
    'case_attachments',
    sa.column('id', sa.Integer()),
    sa.column('filename', sa.String()),
    sa.column('content_type', sa.String()),
    sa.column('data', sa.LargeBinary()),
    sa.column('storage_key', sa.String()),
    sa.column('quarantine_key', sa.String()),
)


def upgrade():
    with op.batch_alter_table('case_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('storage_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('quarantine_key', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_case_attachments_storage_key'), ['storage_key']
        )
        batch_op.create_unique_constraint(
            batch_op.f('uq_case_attachments_quarantine_key'), ['quarantine_key']
        )

    _copy_bytes_to_the_store()

    with op.batch_alter_table('case_attachments', schema=None) as batch_op:
        batch_op.drop_column('data')


def _copy_bytes_to_the_store():
    """One attachment at a time (a row's bytes can be megabytes)."""
    from app.storage import file_store, new_key

    connection = op.get_bind()
    ids = connection.scalars(sa.select(attachments.c.id).order_by(attachments.c.id)).all()
    if not ids:
        return
    store = file_store()
    for attachment_id in ids:
        row = connection.execute(
            sa.select(attachments.c.filename, attachments.c.content_type, attachments.c.data)
            .where(attachments.c.id == attachment_id)
        ).one()
        key = new_key('cases', row.filename)
        store.put(key, bytes(row.data), row.content_type)
        connection.execute(
            attachments.update()
            .where(attachments.c.id == attachment_id)
            .values(storage_key=key)
        )


def downgrade():
    with op.batch_alter_table('case_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data', sa.LargeBinary(), nullable=True))

    _copy_bytes_from_the_store()

    with op.batch_alter_table('case_attachments', schema=None) as batch_op:
        batch_op.alter_column('data', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_constraint(
            batch_op.f('uq_case_attachments_quarantine_key'), type_='unique'
        )
        batch_op.drop_constraint(batch_op.f('uq_case_attachments_storage_key'), type_='unique')
        batch_op.drop_column('quarantine_key')
        batch_op.drop_column('storage_key')


def _copy_bytes_from_the_store():
    """The served file back into the row (an image never re-encoded is re-encoded here:
    the old schema served ``data`` as it was); a row whose file is gone or unreadable is
    deleted, as the old schema cannot hold it. The files stay in the store."""
    from app.cases.attachments import without_metadata
    from app.storage import file_store

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(attachments.c.id, attachments.c.storage_key, attachments.c.quarantine_key)
    ).all()
    if not rows:
        return
    store = file_store()
    for attachment_id, storage_key, quarantine_key in rows:
        where = attachments.c.id == attachment_id
        try:
            data = store.get(storage_key or quarantine_key or '')
            if storage_key is None:
                data = without_metadata(data)
        except (KeyError, ValueError, OSError):
            connection.execute(attachments.delete().where(where))
            continue
        connection.execute(attachments.update().where(where).values(data=data))
