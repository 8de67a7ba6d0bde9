"""web chat tables: PIN logins, server-side sessions, encrypted transcript, form nonces

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_logins',
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('invite_id', sa.String(length=32), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('pin_hash', sa.LargeBinary(), nullable=False),
    sa.Column('failed_tries', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('person_id')
    )
    op.create_table('web_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=True),
    sa.Column('conversation_id', sa.String(length=64), nullable=True),
    sa.Column('pending', sa.String(length=16), nullable=True),
    sa.Column('pending_person_id', sa.String(length=32), nullable=True),
    sa.Column('pending_message_id', sa.String(length=32), nullable=True),
    sa.Column('failed_code_tries', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_seen', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id_hash')
    )
    op.create_table('web_transcript',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('data_enc', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('web_transcript', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_transcript_conversation_id'), ['conversation_id'],
                              unique=False)
    op.create_table('web_form_nonces',
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('session_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('nonce')
    )


def downgrade() -> None:
    op.drop_table('web_form_nonces')
    with op.batch_alter_table('web_transcript', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_transcript_conversation_id'))
    op.drop_table('web_transcript')
    op.drop_table('web_sessions')
    op.drop_table('web_logins')
