"""Publication dates as vintages: published, loaded_at and a per-figure unit; reads by series

Observations gain ``published`` (NULL: unknown), ``loaded_at`` (filled with the old vintage, which
was the load moment) and ``unit`` (filled with the series' unit). Official projections gain
``loaded_at`` (the old vintage) and their vintage becomes the end of their ``published`` date
(never after the load). Unique keys now include ``loaded_at``, so two loads of one publication,
or two sources publishing the same day, never collide. A unique index on (series_id, period,
vintage, loaded_at) is the read path of one series; a small table of each series' vintages
(``observation_vintages``) serves ``data_vintage`` and the vintage picker.

Revision ID: 0003
Revises: 0002
"""

import calendar
from datetime import datetime, time

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OFFICIAL_KEY = ["publisher", "published", "country", "indicator", "target_period"]


def _end_of(published: str) -> datetime | None:
    """The end of the day, month or year written (``2025-10-14``, ``2025-10``, ``2025``); None if unreadable.

    A copy, not an import: a migration must mean the same thing whatever the code becomes.
    """
    try:
        parts = [int(p) for p in published.strip().split("-")]
        year, month = parts[0], parts[1] if len(parts) > 1 else 12
        day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return datetime.combine(datetime(year, month, day).date(), time.max)
    except (ValueError, IndexError):
        return None


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("published", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("loaded_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("unit", sa.String(length=200), nullable=True))
    op.execute("UPDATE observations SET loaded_at = vintage")
    op.execute("UPDATE observations SET unit = (SELECT series.unit FROM series WHERE series.id = observations.series_id)")
    with op.batch_alter_table("observations") as batch:
        batch.alter_column("loaded_at", existing_type=sa.DateTime(), nullable=False)
        batch.drop_constraint("uq_observation_vintage", type_="unique")
        batch.create_index(
            "ix_observations_series_vintage", ["series_id", "period", "vintage", "loaded_at"], unique=True
        )
    _vintages_up()
    _official_up()


def _vintages_up() -> None:
    """The small table of each series' vintages, filled from what the store holds."""
    op.create_table(
        "observation_vintages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("vintage", sa.DateTime(), nullable=False),
        sa.Column("published", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["series_id"], ["series.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_observation_vintages_series", "observation_vintages", ["series_id", "vintage"])
    op.create_index("ix_observation_vintages_vintage", "observation_vintages", ["vintage"])
    op.execute(
        "INSERT INTO observation_vintages (series_id, vintage, published) "
        "SELECT DISTINCT series_id, vintage, published FROM observations"
    )


def _official_up() -> None:
    with op.batch_alter_table("official_projections") as batch:
        batch.add_column(sa.Column("loaded_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE official_projections SET loaded_at = vintage")
    bind = op.get_bind()
    to_end = sa.text(
        "UPDATE official_projections SET vintage = CASE WHEN loaded_at < :end THEN loaded_at ELSE :end END "
        "WHERE published = :published"
    ).bindparams(sa.bindparam("end", type_=sa.DateTime()))
    for published in bind.execute(sa.text("SELECT DISTINCT published FROM official_projections")).scalars().all():
        end = _end_of(published)
        if end is not None:
            bind.execute(to_end, {"end": end, "published": published})
    with op.batch_alter_table("official_projections") as batch:
        batch.alter_column("loaded_at", existing_type=sa.DateTime(), nullable=False)
        batch.drop_constraint("uq_official_vintage", type_="unique")
        batch.create_unique_constraint("uq_official_vintage", [*OFFICIAL_KEY, "loaded_at"])


def downgrade() -> None:
    """Back to load-time vintages. Where one load stored several publications of a period, only the
    newest survives: revision 0002 cannot hold more than one figure per period and load."""
    with op.batch_alter_table("official_projections") as batch:
        batch.drop_constraint("uq_official_vintage", type_="unique")
    op.execute("UPDATE official_projections SET vintage = loaded_at")
    with op.batch_alter_table("official_projections") as batch:
        batch.create_unique_constraint("uq_official_vintage", [*OFFICIAL_KEY, "vintage"])
        batch.drop_column("loaded_at")

    op.execute(
        "DELETE FROM observations WHERE EXISTS (SELECT 1 FROM observations AS o2 "
        "WHERE o2.series_id = observations.series_id AND o2.period = observations.period "
        "AND o2.loaded_at = observations.loaded_at AND (o2.vintage > observations.vintage "
        "OR (o2.vintage = observations.vintage AND o2.id > observations.id)))"
    )
    op.drop_table("observation_vintages")
    with op.batch_alter_table("observations") as batch:
        batch.drop_index("ix_observations_series_vintage")
    op.execute("UPDATE observations SET vintage = loaded_at")
    with op.batch_alter_table("observations") as batch:
        batch.create_unique_constraint("uq_observation_vintage", ["series_id", "period", "vintage"])
        batch.drop_column("unit")
        batch.drop_column("loaded_at")
        batch.drop_column("published")
