"""Piccolo's configuration: every app of the platform. core.db finds the apps' tables here the way
Piccolo's own migrations do, and binds its engine explicitly (core.db.bind); the engine below only
serves Piccolo's own CLI (e.g. generating migrations against PostgreSQL)."""

import os

from piccolo.conf.apps import AppRegistry

from core.db import make_engine
from core.settings import Settings

APP_REGISTRY = AppRegistry(
    apps=[
        "core.piccolo_app",
        "marketplace.piccolo_app",
        "voucher.piccolo_app",
        "search.piccolo_app",
        "admin.piccolo_app",
    ]
)


def _engine_from_env():
    if os.environ.get("HB_DATABASE_URL") or os.environ.get("PICCOLO_CLI"):
        return make_engine(Settings.from_env())
    return None


DB = _engine_from_env()
