"""One history for every area, and the console's first tables under Alembic (issue 13).

Revision ID: 0007_one_history
Revises: 0002_territories, 0003_requests, 0006_console_followups
Create Date: 2026-12-05

Merges the three heads (knowledge, requests, console) into one: new revisions go after this
one, so `alembic heads` shows a single head (tests/robustness/test_migrations.py checks it).
The console's hand-off tables were created by `create_all` at the gateway's start-up, outside
Alembic; they are created here when missing, and the gateway now migrates instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_one_history"
down_revision: str | Sequence[str] | None = (
    "0002_territories",
    "0003_requests",
    "0006_console_followups",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Databases of a running gateway already have these tables (made by `create_all`).
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "console_advisers" not in existing:
        op.create_table(
            "console_advisers",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("email", sa.String(length=254), nullable=False),
            sa.Column("password_hash", sa.String(length=255), nullable=False),
            sa.Column("role", sa.String(length=16), nullable=False),
            sa.Column("active", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("last_login_at", sa.DateTime(), nullable=True),
            sa.Column("last_seen_at", sa.DateTime(), nullable=True),
            sa.Column("failed_logins", sa.Integer(), nullable=False),
            sa.Column("locked_until", sa.DateTime(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("email"),
        )
    if "console_sessions" not in existing:
        op.create_table(
            "console_sessions",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("csrf_token", sa.String(length=64), nullable=False),
            sa.Column("adviser_id", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
            sa.Column("revoked", sa.Boolean(), nullable=False),
            sa.ForeignKeyConstraint(["adviser_id"], ["console_advisers.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("token_hash"),
        )
    if "console_tickets" not in existing:
        op.create_table(
            "console_tickets",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("sender_id", sa.String(length=128), nullable=False),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("user_id", sa.String(length=96), nullable=False),
            sa.Column("status", sa.String(length=16), nullable=False),
            sa.Column("reason", sa.String(length=48), nullable=False),
            sa.Column("summary", sa.Text(), nullable=False),
            sa.Column("commune", sa.String(length=128), nullable=True),
            sa.Column("context", sa.JSON(), nullable=False),
            sa.Column("unavailable_reason", sa.String(length=32), nullable=True),
            sa.Column("callback_step", sa.String(length=16), nullable=True),
            sa.Column("callback_offered", sa.Boolean(), nullable=False),
            sa.Column("person_notified", sa.Boolean(), nullable=False),
            sa.Column("adviser_id", sa.Integer(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("claimed_at", sa.DateTime(), nullable=True),
            sa.Column("closed_at", sa.DateTime(), nullable=True),
            sa.Column("close_outcome", sa.String(length=32), nullable=True),
            sa.ForeignKeyConstraint(
                ["adviser_id"],
                ["console_advisers.id"],
            ),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(
            "ix_console_tickets_sender_status",
            "console_tickets",
            ["sender_id", "status"],
            unique=False,
        )
    if "console_callbacks" not in existing:
        op.create_table(
            "console_callbacks",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("ticket_id", sa.Integer(), nullable=True),
            sa.Column("channel", sa.String(length=32), nullable=False),
            sa.Column("contact_kind", sa.String(length=8), nullable=False),
            sa.Column("contact", sa.String(length=254), nullable=False),
            sa.Column("preferred_time", sa.String(length=120), nullable=False),
            sa.Column("reason", sa.String(length=48), nullable=False),
            sa.Column("summary", sa.Text(), nullable=False),
            sa.Column("commune", sa.String(length=128), nullable=True),
            sa.Column("consent_text", sa.Text(), nullable=False),
            sa.Column("consent_at", sa.DateTime(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("done_at", sa.DateTime(), nullable=True),
            sa.Column("done_by", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(
                ["done_by"],
                ["console_advisers.id"],
            ),
            sa.ForeignKeyConstraint(["ticket_id"], ["console_tickets.id"], ondelete="SET NULL"),
            sa.PrimaryKeyConstraint("id"),
        )
    if "console_messages" not in existing:
        op.create_table(
            "console_messages",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("ticket_id", sa.Integer(), nullable=False),
            sa.Column("sender_id", sa.String(length=128), nullable=False),
            sa.Column("author", sa.String(length=16), nullable=False),
            sa.Column("adviser_id", sa.Integer(), nullable=True),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("extra", sa.JSON(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("delivered_at", sa.DateTime(), nullable=True),
            sa.Column("delivery_attempts", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["adviser_id"],
                ["console_advisers.id"],
            ),
            sa.ForeignKeyConstraint(["ticket_id"], ["console_tickets.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(
            "ix_console_messages_sender", "console_messages", ["sender_id", "id"], unique=False
        )
    if "console_notes" not in existing:
        op.create_table(
            "console_notes",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("ticket_id", sa.Integer(), nullable=False),
            sa.Column("adviser_id", sa.Integer(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(
                ["adviser_id"],
                ["console_advisers.id"],
            ),
            sa.ForeignKeyConstraint(["ticket_id"], ["console_tickets.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )


def downgrade() -> None:
    op.drop_table("console_notes")
    op.drop_index("ix_console_messages_sender", table_name="console_messages")
    op.drop_table("console_messages")
    op.drop_table("console_callbacks")
    op.drop_index("ix_console_tickets_sender_status", table_name="console_tickets")
    op.drop_table("console_tickets")
    op.drop_table("console_sessions")
    op.drop_table("console_advisers")
