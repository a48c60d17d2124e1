"""Is this process ready to serve? Each check answers what an operator would look at first."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from .workers import workers_seen_recently


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


_migrated = False  # once every migration this code knows is applied, it stays applied


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Check("database", False, f"unreachable ({type(error).__name__})")
    return Check("database", True, connection.vendor)


def _migrations() -> Check:
    global _migrated
    if not _migrated:
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            return Check("migrations", False, f"unknown ({type(error).__name__})")
        if pending:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:3])
            more = f" and {len(pending) - 3} more" if len(pending) > 3 else ""
            return Check(
                "migrations", False, f"{len(pending)} not applied: {names}{more}; run `manage.py migrate`"
            )
        _migrated = True
    return Check("migrations", True, "all applied")


def _worker() -> Check:
    try:
        seen = workers_seen_recently()
    except DatabaseError as error:
        return Check("worker", False, f"unknown ({type(error).__name__})")
    if not seen:
        return Check(
            "worker", False, "no task worker has reported in the last minute; start `manage.py run_worker`"
        )
    return Check("worker", True, f"{seen} seen in the last minute")


def _cache() -> Check | None:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache") or backend.endswith("DummyCache"):
        return None  # in-process: nothing to reach
    try:
        cache.set("readyz", "1", 10)
        reached = cache.get("readyz") == "1"
    except Exception as error:  # every cache client raises its own errors
        return Check("cache", False, f"unreachable ({type(error).__name__})")
    return Check("cache", reached, "reachable" if reached else "does not keep what is written")


def readiness_checks() -> list[Check]:
    database = _database()
    if not database.ok:
        return [
            database,
            Check("migrations", False, "unknown (no database)"),
            Check("worker", False, "unknown"),
        ]
    return [check for check in (database, _migrations(), _worker(), _cache()) if check is not None]
