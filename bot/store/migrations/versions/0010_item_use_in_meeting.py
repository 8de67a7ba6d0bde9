"""statement_items.use: how the child wants each item used in the meeting

Who may read an item is one choice; what happens with it in the room is another. "raise"
(the coordinator may bring it up), "read_aloud" (read out word for word) or
"coordinator_only" (for the coordinator's understanding, not to be brought up). Null on
older rows means "raise", what the child was told before this choice existed.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('statement_items') as batch:
        batch.add_column(sa.Column('use', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('statement_items') as batch:
        batch.drop_column('use')
