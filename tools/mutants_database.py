"""A pytest plugin for mutation runs: every pytest session in the mutmut process uses one kept test
database. Django renames the database in its settings to the test database's name and leaves it so under
--reuse-db; the next session would then make `test_test_...` anew, migrations and all."""

import os

import dj_database_url
import pytest
from django.db import connections


def pytest_sessionstart(session: pytest.Session) -> None:
    name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    for alias in connections:
        connections[alias].settings_dict.setdefault("TEST", {})["NAME"] = f"test_{name}"
