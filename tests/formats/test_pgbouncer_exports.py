"""Behind PgBouncer (transaction pooling, no server-side cursors) exports read each source in keyset
windows of passages, and write the same bytes as with a server-side cursor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.selectors import exports as export_selectors
from sources.services.exports import export_stream

pytestmark = pytest.mark.django_db

FORMATS = ["jsonl", "csv", "qdpx", "w3c"]


def export_bytes(project, format: str) -> bytes:
    return b"".join(export_stream(project=project, format=format).chunks)


@pytest.fixture
def pgbouncer_mode(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    monkeypatch.setattr(export_selectors, "CHUNK", 2)  # windows of two passages: several per source


@pytest.mark.parametrize("format", FORMATS)
def test_windowed_exports_write_the_same_bytes(corpus, format, request):
    direct = export_bytes(corpus.project, format)
    request.getfixturevalue("pgbouncer_mode")
    assert export_bytes(corpus.project, format) == direct


def test_each_window_reads_a_bounded_slice_of_the_source(corpus, pgbouncer_mode):
    sizes = [corpus.english.passages.count(), corpus.russian.passages.count()]
    assert min(sizes) > 2
    with CaptureQueriesContext(connection) as captured:
        export_bytes(corpus.project, "jsonl")
    reads = [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT "sources_passage"."source_id"')
        and 'FROM "sources_annotation"' in q["sql"]
    ]
    # Windows of two passages, then the open-ended rest of each source (empty when it divides evenly).
    assert len(reads) == sum(size // 2 + 1 for size in sizes)
    bounded = [sql for sql in reads if '"ordinal" <=' in sql]
    assert len(bounded) == len(reads) - len(sizes)
    # The sources' texts are read one source at a time, not all at once.
    assert len([q for q in captured if '"sources_source"."text"' in q["sql"]]) == len(sizes)


def test_pgbouncer_mode_is_one_setting():
    from tests.deploy.processes import manage

    shown = "from django.db import connection as c; print(c.settings_dict['DISABLE_SERVER_SIDE_CURSORS'], c.settings_dict['CONN_HEALTH_CHECKS'])"  # noqa: E501
    result = manage("shell", "--no-imports", "-c", shown, PGBOUNCER="true")
    assert result.stdout.split()[-2:] == ["True", "True"], result.stderr
