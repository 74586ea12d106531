"""Apply Piccolo migrations to the database named by settings."""
from __future__ import annotations

import subprocess
import sys

from feedback.settings import Settings, child_environ


def run_migrations(settings: Settings) -> None:
    """Run Piccolo's migration runner in a child process pointed at `settings.database_url`.

    Piccolo finds its engine through `PICCOLO_CONF` and our `piccolo_conf` reads `DATABASE_URL`;
    a child with an explicit environment keeps this process's environment untouched.
    """
    env = child_environ({"DATABASE_URL": settings.database_url, "PICCOLO_CONF": "feedback.piccolo_conf"})
    result = subprocess.run([sys.executable, "-m", "piccolo.main", "migrations", "forwards", "all"], env=env)
    if result.returncode != 0:
        raise RuntimeError(f"migrations failed (piccolo exited with {result.returncode})")
