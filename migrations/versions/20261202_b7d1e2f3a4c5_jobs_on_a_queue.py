"""jobs on a queue: one job table for every kind of long work, and the files they read

import_job becomes job (kind "import"). Its states queued, checking and saving become
running (with the phase in the message): the threads that ran them, or were to, are
gone, so the first worker to start marks them interrupted; left queued, with no message
on the queue, one would wait for a worker forever. Uploads were never kept, so those can
only be started again with the file.

Revision ID: b7d1e2f3a4c5
Revises: a3c5e7f9b1d2
Create Date: 2026-12-02 01:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7d1e2f3a4c5"
down_revision = "a3c5e7f9b1d2"
branch_labels = None
depends_on = None

OLD_STATES = {"queued": "running", "checking": "running", "saving": "running", "done": "done"}
UNFINISHED = ("queued", "checking", "saving")
PHASES = {"checking": "checking rows", "saving": "saving"}


def upgrade() -> None:
    job = op.create_table(
        "job",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_job_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_user_id"), ["user_id"], unique=False)
        batch_op.create_index("ix_job_state_created", ["state", "created_at"], unique=False)
    op.create_table(
        "job_payload",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["job.id"], name=op.f("fk_job_payload_job_id_job"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_payload")),
    )

    bind = op.get_bind()
    old = sa.Table("import_job", sa.MetaData(), autoload_with=bind)
    rows = [
        {
            "id": r.id,
            "kind": "import",
            "state": OLD_STATES.get(r.status, "failed"),
            "user_id": r.user_id,
            "params": {"filename": r.filename, "law_slug": r.law_slug, "dry_run": bool(r.dry_run)},
            "total": r.total_rows,
            "processed": r.processed_rows,
            "message": PHASES.get(r.status, r.message or ""),
            "result": {"created": r.created_count},
            "errors": r.errors or [],
            "error_count": r.error_count,
            "attempts": 1 if r.status in UNFINISHED else 0,
            "worker": "",
            "created_at": r.created_at,
            # A job that was running counts as started when it was created: its lease is
            # long expired, so the first worker's sweep finds it.
            "started_at": r.created_at if r.status in UNFINISHED else None,
            "finished_at": r.finished_at,
        }
        for r in bind.execute(sa.select(old)).mappings()
    ]
    if rows:
        op.bulk_insert(job, rows)
    op.drop_table("import_job")


def downgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("law_slug", sa.String(length=100), nullable=True),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=True),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_import_job_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_job_user_id"), ["user_id"], unique=False)
    op.drop_table("job_payload")
    op.drop_table("job")
