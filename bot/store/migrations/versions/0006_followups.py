"""after the meeting: a scheduler in the database, the outcome's points and its
readiness, the later check-in, and statements of kind 'feedback'

`scheduled_jobs` holds every due item (reminders, the outcome, the check-in, the
coordinator's "no outcome yet" reminder). A runner claims a row (claimed_at, claim_token)
before working on it and marks it done in the same transaction as the outbox rows it
queues, so two runners or a crash between claim and send never deliver anything twice.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'scheduled_jobs',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('meeting_id', sa.String(length=32), nullable=False),
        sa.Column('person_id', sa.String(length=32), nullable=True),
        sa.Column('followup_id', sa.String(length=32), nullable=True),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('claim_token', sa.String(length=32), nullable=True),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_scheduled_jobs_due_at', 'scheduled_jobs', ['due_at'])
    op.create_index('ix_scheduled_jobs_meeting_id', 'scheduled_jobs', ['meeting_id'])
    with op.batch_alter_table('followups') as batch:
        batch.add_column(sa.Column('points_enc', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('ready_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('shown_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('checkin_due_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('checkin_ready_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('checkin_shown_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('statements') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), nullable=False,
                                   server_default='statement'))
    # Outcomes recorded before this revision: one already delivered as a line of text counts
    # as shown; one still waiting gets its job (the follow-up's own id is a fresh random id).
    op.execute("UPDATE followups SET ready_at = sent_at, shown_at = sent_at WHERE sent_at IS NOT NULL")
    op.execute(
        "INSERT INTO scheduled_jobs (id, kind, meeting_id, followup_id, due_at, attempts, created_at)"
        " SELECT id, 'outcome', meeting_id, id, due_at, 0, created_at FROM followups"
        " WHERE sent_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('statements') as batch:
        batch.drop_column('kind')
    with op.batch_alter_table('followups') as batch:
        for column in ('checkin_shown_at', 'checkin_ready_at', 'checkin_due_at', 'shown_at',
                       'ready_at', 'points_enc'):
            batch.drop_column(column)
    op.drop_index('ix_scheduled_jobs_meeting_id', 'scheduled_jobs')
    op.drop_index('ix_scheduled_jobs_due_at', 'scheduled_jobs')
    op.drop_table('scheduled_jobs')
