"""queue summary: a law's triage queue counted ahead, read instead of half a million rows

Two new tables, empty until a matching job builds them; until then the queue counts
live, as before.

Revision ID: d5e6f7a8b9c0
Revises: c4d5e6f7a8b9
Create Date: 2026-12-02 19:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d5e6f7a8b9c0"
down_revision = "c4d5e6f7a8b9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("group_kind", sa.String(length=8), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("article_key", sa.String(length=32), nullable=False),
        sa.Column("cited_key", sa.String(length=32), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("best_change_id", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("score_sum", sa.Float(), nullable=False),
        sa.Column("score_max", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["law_id"], ["law.id"], name=op.f("fk_queue_summary_law_id_law"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_summary")),
    )
    op.create_index(
        "ix_queue_summary_law_generation",
        "queue_summary",
        ["law_id", "generation", "cited_key"],
        unique=False,
    )
    op.create_table(
        "queue_summary_build",
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["law_id"],
            ["law.id"],
            name=op.f("fk_queue_summary_build_law_id_law"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("law_id", name=op.f("pk_queue_summary_build")),
    )


def downgrade() -> None:
    op.drop_table("queue_summary_build")
    op.drop_index("ix_queue_summary_law_generation", table_name="queue_summary")
    op.drop_table("queue_summary")
