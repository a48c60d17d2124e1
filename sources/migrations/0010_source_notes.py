from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0009_worker_heartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="notes",
            field=models.TextField(blank=True),
        ),
    ]
