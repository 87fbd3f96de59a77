"""triage at scale: campaigns, stored matches, bulk actions and opinion references

New tables only, and one nullable column on opinion: on PostgreSQL adding it rewrites
nothing, so the migration is instant over a million opinions. Existing opinions get
their fingerprints and matches from a matching job (``noticeboard worker`` runs it).

Revision ID: c4d5e6f7a8b9
Revises: b7d1e2f3a4c5
Create Date: 2026-12-02 05:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4d5e6f7a8b9"
down_revision = "b7d1e2f3a4c5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("opinion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_opinion_law_reference", ["law_id", "reference"])

    op.create_table(
        "opinion_cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("representative_id", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["law_id"], ["law.id"], name=op.f("fk_opinion_cluster_law_id_law"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["representative_id"],
            ["opinion.id"],
            name=op.f("fk_opinion_cluster_representative_id_opinion"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_cluster")),
    )
    op.create_index("ix_opinion_cluster_law_size", "opinion_cluster", ["law_id", "size"])

    op.create_table(
        "opinion_triage",
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column("kept_apart", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("clustered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["opinion_id"],
            ["opinion.id"],
            name=op.f("fk_opinion_triage_opinion_id_opinion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["law_id"], ["law.id"], name=op.f("fk_opinion_triage_law_id_law"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["opinion_cluster.id"],
            name=op.f("fk_opinion_triage_cluster_id_opinion_cluster"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("opinion_id", name=op.f("pk_opinion_triage")),
    )
    op.create_index("ix_opinion_triage_cluster_id", "opinion_triage", ["cluster_id"])
    op.create_index("ix_opinion_triage_law_cluster", "opinion_triage", ["law_id", "cluster_id"])
    op.create_index("ix_opinion_triage_law_matched", "opinion_triage", ["law_id", "matched_at"])

    op.create_table(
        "cluster_band",
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["law_id"], ["law.id"], name=op.f("fk_cluster_band_law_id_law"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["opinion_id"],
            ["opinion.id"],
            name=op.f("fk_cluster_band_opinion_id_opinion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("law_id", "key", name=op.f("pk_cluster_band")),
    )
    op.create_index("ix_cluster_band_opinion_id", "cluster_band", ["opinion_id"])

    op.create_table(
        "opinion_match",
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.Column("article", sa.Float(), nullable=False),
        sa.Column("quoted", sa.Float(), nullable=False),
        sa.Column("similar", sa.Float(), nullable=False),
        sa.Column("against", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opinion_id"],
            ["opinion.id"],
            name=op.f("fk_opinion_match_opinion_id_opinion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["change.id"],
            name=op.f("fk_opinion_match_change_id_change"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("opinion_id", "change_id", name=op.f("pk_opinion_match")),
    )
    op.create_index(
        "ix_opinion_match_change_score",
        "opinion_match",
        ["change_id", "score"],
        postgresql_include=["opinion_id"],
    )

    op.create_table(
        "bulk_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["law_id"], ["law.id"], name=op.f("fk_bulk_action_law_id_law"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["change.id"],
            name=op.f("fk_bulk_action_change_id_change"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["opinion_cluster.id"],
            name=op.f("fk_bulk_action_cluster_id_opinion_cluster"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_bulk_action_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["user_account.id"],
            name=op.f("fk_bulk_action_undone_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_action")),
    )
    op.create_index("ix_bulk_action_law_id", "bulk_action", ["law_id"])

    op.create_table(
        "bulk_action_item",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("previous_outcome", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["bulk_action.id"],
            name=op.f("fk_bulk_action_item_action_id_bulk_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opinion_id"],
            ["opinion.id"],
            name=op.f("fk_bulk_action_item_opinion_id_opinion"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["change_link.id"],
            name=op.f("fk_bulk_action_item_link_id_change_link"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name=op.f("fk_bulk_action_item_decision_id_decision"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("action_id", "opinion_id", name=op.f("pk_bulk_action_item")),
    )
    op.create_index("ix_bulk_action_item_opinion_id", "bulk_action_item", ["opinion_id"])
    # Removing a link or a decision sets these to NULL: without an index, every removed
    # link of an undo would scan the whole table (4 s per 500 links at 10,000 items).
    op.create_index("ix_bulk_action_item_link_id", "bulk_action_item", ["link_id"])
    op.create_index("ix_bulk_action_item_decision_id", "bulk_action_item", ["decision_id"])


def downgrade() -> None:
    op.drop_table("bulk_action_item")
    op.drop_table("bulk_action")
    op.drop_table("opinion_match")
    op.drop_table("cluster_band")
    op.drop_table("opinion_triage")
    op.drop_table("opinion_cluster")
    with op.batch_alter_table("opinion", schema=None) as batch_op:
        batch_op.drop_constraint("uq_opinion_law_reference", type_="unique")
        batch_op.drop_column("reference")
