"""telegram tables: chats (hashed and sealed chat ids), offered buttons, message ids

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'telegram_chats',
        sa.Column('id', sa.String(32), primary_key=True),
        sa.Column('chat_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('key_id', sa.String(32), nullable=False),
        sa.Column('chat_id_enc', sa.LargeBinary, nullable=False),
        sa.Column('conversation_id', sa.String(64), nullable=True, index=True),
        sa.Column('coordinator_id', sa.String(32), nullable=True, index=True),
        sa.Column('trouble_told', sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column('created_at', sa.DateTime, nullable=False),
    )
    op.create_table(
        'telegram_buttons',
        sa.Column('id', sa.String(16), primary_key=True),
        sa.Column('chat_ref', sa.String(32), nullable=False, index=True),
        sa.Column('offer', sa.String(64), nullable=False, index=True),
        sa.Column('payload_enc', sa.LargeBinary, nullable=False),
        sa.Column('used_at', sa.DateTime, nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
    )
    op.create_table(
        'telegram_messages',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('chat_ref', sa.String(32), nullable=False, index=True),
        sa.Column('message_id', sa.BigInteger, nullable=False),
        sa.Column('at', sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table('telegram_messages')
    op.drop_table('telegram_buttons')
    op.drop_table('telegram_chats')
