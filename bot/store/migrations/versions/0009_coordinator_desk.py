"""the coordinator desk: stored key file and TOTP secret per coordinator, desk sessions,
sign-in challenges and lockouts

The desk signs a coordinator in with proof of holding their private key (a challenge
sealed to it, opened in the browser) plus a TOTP code. The key file is kept sealed so
the browser can fetch it; it is already passphrase-wrapped. All new coordinator
columns are nullable: coordinators made before this revision are not enrolled until
`coordinator desk-enrol`.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('coordinators') as batch:
        batch.add_column(sa.Column('key_file_enc', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('totp_secret_enc', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))
    op.create_table('desk_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('coordinator_id', sa.String(length=32), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id_hash')
    )
    with op.batch_alter_table('desk_sessions') as batch:
        batch.create_index(batch.f('ix_desk_sessions_coordinator_id'), ['coordinator_id'],
                           unique=False)
    op.create_table('desk_challenges',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('coordinator_id', sa.String(length=32), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('desk_challenges') as batch:
        batch.create_index(batch.f('ix_desk_challenges_coordinator_id'), ['coordinator_id'],
                           unique=False)
    op.create_table('desk_logins',
    sa.Column('coordinator_id', sa.String(length=32), nullable=False),
    sa.Column('failed_tries', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('lockouts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('coordinator_id')
    )


def downgrade() -> None:
    op.drop_table('desk_logins')
    with op.batch_alter_table('desk_challenges') as batch:
        batch.drop_index(batch.f('ix_desk_challenges_coordinator_id'))
    op.drop_table('desk_challenges')
    with op.batch_alter_table('desk_sessions') as batch:
        batch.drop_index(batch.f('ix_desk_sessions_coordinator_id'))
    op.drop_table('desk_sessions')
    with op.batch_alter_table('coordinators') as batch:
        batch.drop_column('totp_last_step')
        batch.drop_column('totp_secret_enc')
        batch.drop_column('key_file_enc')
