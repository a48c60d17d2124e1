"""A GIN index for full-text search on passages, on PostgreSQL only.

The index expression is exactly what `sources.selectors.sources.passages_matching` queries
(`SearchVector("text", config="simple")`), so the planner uses it. SQLite has no GIN index and
searches without one; this migration does nothing there."""

from django.db import migrations

INDEX = "passage_text_search"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON sources_passage "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False),
    ]
