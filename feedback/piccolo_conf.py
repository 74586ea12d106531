"""Piccolo's own configuration, used by `piccolo` and `feedback migrate`; reads DATABASE_URL."""
import os

from piccolo.conf.apps import AppRegistry

from feedback.db import engine_from_url

DB = engine_from_url(os.environ.get("DATABASE_URL") or "sqlite:///var/suara.sqlite")

APP_REGISTRY = AppRegistry(apps=["feedback.piccolo_app"])
