"""opinion newest-first and statistics indexes

The staff list sorts by date received, newest first. With an office or law filter over
a million opinions PostgreSQL sorted every match (0.14 s for an office's 140,000); read
backwards along ix_opinion_received_id it stops at the page (13 ms for page 50).

The statistics page groups every opinion by law, office, channel and outcome: 284 ms
hashing a scan of the table, 89 ms reading ix_opinion_stats (7 MB) in its order.

Revision ID: a3c5e7f9b1d2
Revises: d779cca03ae3
Create Date: 2026-11-30 01:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "a3c5e7f9b1d2"
down_revision = "d779cca03ae3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("opinion", schema=None) as batch_op:
        batch_op.create_index("ix_opinion_received_id", ["received_on", "id"], unique=False)
        batch_op.create_index(
            "ix_opinion_stats", ["law_id", "office_id", "channel", "outcome"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("opinion", schema=None) as batch_op:
        batch_op.drop_index("ix_opinion_stats")
        batch_op.drop_index("ix_opinion_received_id")
