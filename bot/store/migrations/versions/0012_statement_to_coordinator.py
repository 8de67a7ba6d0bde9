"""statements.to_coordinator: whether a version gave the coordinator any item

A child who hides every item still approves, and a sealed (empty) version is stored so
the approval is recorded. Without knowing which versions held something for the
coordinator, the bot told such a child "samordnaren har den förra versionen" and the
coordinator's `meeting list` said "skickad: ja". Only the fact is kept, never which
items or how many. Null on older rows: unknown, read as "yes", as those rows were
read before this column existed.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('statements') as batch:
        batch.add_column(sa.Column('to_coordinator', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('statements') as batch:
        batch.drop_column('to_coordinator')
