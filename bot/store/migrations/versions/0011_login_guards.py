"""web_logins.lockouts/untold_lockouts and login_guards: guessing limits for the web login

A PIN lock of a fixed 15 minutes let whoever holds an invite letter try about 480 PINs a
day unnoticed, and the wrong-code count lived in the anonymous session (a new page reset
it). Each lockout of a login is now longer than the last and is told to the person at
their next login; failed guesses are also counted per client address (an HMAC of it) and
service-wide.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('web_logins') as batch:
        batch.add_column(sa.Column('lockouts', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('untold_lockouts', sa.Integer(), nullable=False,
                                   server_default='0'))
    op.create_table(
        'login_guards',
        sa.Column('key', sa.String(length=64), primary_key=True),
        sa.Column('window_start', sa.DateTime(), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('lockouts', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('login_guards')
    with op.batch_alter_table('web_logins') as batch:
        batch.drop_column('untold_lockouts')
        batch.drop_column('lockouts')
