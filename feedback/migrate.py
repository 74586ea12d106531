"""Apply Piccolo migrations to the database named by settings."""
from __future__ import annotations

import os

from feedback.settings import Settings


async def run_migrations(settings: Settings) -> None:
    # Piccolo's migration runner finds its engine through piccolo_conf, which reads DATABASE_URL.
    os.environ["DATABASE_URL"] = settings.database_url
    os.environ["PICCOLO_CONF"] = "feedback.piccolo_conf"
    from piccolo.apps.migrations.commands.forwards import run_forwards

    response = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not response.success:
        raise RuntimeError(f"migrations failed: {response.message}")
