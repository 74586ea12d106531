from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.engine import engine_finder

# Composite and partial indexes that Piccolo columns cannot declare; both engines support them.
REPORT_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ticket_open_created_at ON ticket (created_at) WHERE resolved_at IS NULL",
    "CREATE INDEX IF NOT EXISTS ticket_agency_created_at ON ticket (agency, created_at)",
)


async def create_report_indexes():
    engine = engine_finder()
    for statement in REPORT_INDEXES:
        await engine.run_ddl(statement)


async def drop_report_indexes():
    engine = engine_finder()
    for name in ("ticket_open_created_at", "ticket_agency_created_at"):
        await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

ID = "2026-11-28T07:13:40:446182"
VERSION = "1.38.0"
DESCRIPTION = "Report indexes: resolved_at, rating date, open tickets, agency+created_at"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="feedback", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Ticket",
        tablename="ticket",
        column_name="resolved_at",
        db_column_name="resolved_at",
        params={"index": True},
        old_params={"index": False},
        column_class=Timestamptz,
        old_column_class=Timestamptz,
        schema=None,
    )

    manager.alter_column(
        table_class_name="SatisfactionRating",
        tablename="satisfaction_rating",
        column_name="created_at",
        db_column_name="created_at",
        params={"index": True},
        old_params={"index": False},
        column_class=Timestamptz,
        old_column_class=Timestamptz,
        schema=None,
    )

    manager.add_raw(create_report_indexes)
    manager.add_raw_backwards(drop_report_indexes)

    return manager
