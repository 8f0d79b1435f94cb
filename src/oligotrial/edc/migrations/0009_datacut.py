"""Data cuts: cut-off, audit chain head and the SHA-256 of every file written."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("edc", "0008_merge_drafts_answers_tokens"),)
    operations = (
        migrations.CreateModel(
            name="DataCut",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("cutoff", models.DateField()),
                ("label", models.CharField(blank=True, max_length=80)),
                ("made_at", models.DateTimeField()),
                ("folder", models.CharField(max_length=500)),
                ("chain_id", models.CharField(blank=True, max_length=32)),
                ("chain_seq", models.BigIntegerField()),
                ("chain_head", models.CharField(max_length=64)),
                ("files", models.JSONField(default=dict)),
                ("manifest_sha256", models.CharField(blank=True, max_length=64)),
                ("patients", models.IntegerField(default=0)),
                (
                    "made_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="data_cuts",
                        to="edc.staff",
                    ),
                ),
            ],
            options={"ordering": ("-made_at", "-id")},
        ),
    )
