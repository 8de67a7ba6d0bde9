"""people.age_band: only a band (under_18 | 18_plus | null), never an age or birth date

The crisis help must know whether a child is 18 or over (BRIS answers only under-18s),
but data minimisation says store the least: the band is all the help needs.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.add_column(sa.Column('age_band', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.drop_column('age_band')
