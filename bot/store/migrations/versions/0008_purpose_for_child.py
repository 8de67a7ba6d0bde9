"""meetings.purpose_child_enc: the purpose as the child should read it, in easy Swedish

Children find the coordinator's own wording of the purpose unclear ("samordning av
insatser"): the coordinator may write a second, child-friendly one, sealed under the
meeting's key like the first. Null means the bot shows the coordinator's purpose.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('meetings') as batch:
        batch.add_column(sa.Column('purpose_child_enc', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('meetings') as batch:
        batch.drop_column('purpose_child_enc')
