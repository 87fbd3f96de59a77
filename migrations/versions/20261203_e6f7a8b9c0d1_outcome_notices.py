"""outcome notices: consent to be told the outcome, the contributor's language, the outbox

Every existing opinion gets ``notify = false`` (the server default), so no notice goes
out for a decision made before this revision: nobody consented to one.

Revision ID: e6f7a8b9c0d1
Revises: d5e6f7a8b9c0
Create Date: 2026-12-03 11:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e6f7a8b9c0d1"
down_revision = "d5e6f7a8b9c0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("opinion") as batch:
        batch.add_column(
            sa.Column("notify", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("language", sa.String(length=8), server_default="zh", nullable=False)
        )
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("message_token", sa.String(length=32), nullable=False),
        sa.Column("unsubscribe_token", sa.String(length=43), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("claimed_by", sa.String(length=32), nullable=True),
        sa.Column("claim_attempt", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name=op.f("fk_notice_decision_id_decision"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opinion_id"],
            ["opinion.id"],
            name=op.f("fk_notice_opinion_id_opinion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("message_token", name=op.f("uq_notice_message_token")),
        sa.UniqueConstraint("unsubscribe_token", name=op.f("uq_notice_unsubscribe_token")),
    )
    op.create_index("ix_notice_state_due", "notice", ["state", "next_attempt_at", "id"])
    op.create_index(op.f("ix_notice_opinion_id"), "notice", ["opinion_id"])
    op.create_index(op.f("ix_notice_decision_id"), "notice", ["decision_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_notice_decision_id"), table_name="notice")
    op.drop_index(op.f("ix_notice_opinion_id"), table_name="notice")
    op.drop_index("ix_notice_state_due", table_name="notice")
    op.drop_table("notice")
    with op.batch_alter_table("opinion") as batch:
        batch.drop_column("language")
        batch.drop_column("notify")
