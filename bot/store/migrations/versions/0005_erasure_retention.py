"""erasure and retention: whose history a chat holds, when it was reset or last used, and
when a meeting was minimised

`conversations.owner_person_id` is backfilled for chats that are linked now, and for chats
a revoke or reissue left unlinked whose key is still wrapped under a person's key (their
history is that person's, so erasing the person must find them).

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversations') as batch:
        batch.add_column(sa.Column('owner_person_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('invite_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('history_reset_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('last_seen_at', sa.DateTime(), nullable=True))
        batch.create_index('ix_conversations_owner_person_id', ['owner_person_id'])
    with op.batch_alter_table('meetings') as batch:
        batch.add_column(sa.Column('minimised_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE conversations SET owner_person_id = person_id WHERE person_id IS NOT NULL")
    op.execute(
        "UPDATE conversations SET owner_person_id = ("
        " SELECT people.id FROM people JOIN data_keys"
        " ON data_keys.wrapped_by = 'key:' || people.key_id"
        " WHERE data_keys.id = conversations.key_id LIMIT 1)"
        " WHERE owner_person_id IS NULL AND erased_at IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('meetings') as batch:
        batch.drop_column('minimised_at')
    with op.batch_alter_table('conversations') as batch:
        batch.drop_index('ix_conversations_owner_person_id')
        batch.drop_column('last_seen_at')
        batch.drop_column('history_reset_at')
        batch.drop_column('invite_id')
        batch.drop_column('owner_person_id')
