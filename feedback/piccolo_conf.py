"""Piccolo's own configuration, used by `piccolo` and `feedback migrate` (in a child process).

Piccolo looks up a module attribute `DB`; it is built on first access (PEP 562), from
`DATABASE_URL` through `feedback.settings`, so importing this module reads nothing.
"""
from functools import cache

from piccolo.conf.apps import AppRegistry

APP_REGISTRY = AppRegistry(apps=["feedback.piccolo_app"])


@cache
def _engine():
    from feedback.db import engine_from_url
    from feedback.settings import load_database_url

    return engine_from_url(load_database_url())


def __getattr__(name: str):
    if name == "DB":
        return _engine()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
