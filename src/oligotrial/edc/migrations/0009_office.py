"""The trial office: source data verification per value, and the office's messages on queries."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("edc", "0008_merge_drafts_answers_tokens"),)

    operations = (
        migrations.CreateModel(
            name="QueryMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField()),
                ("written_at", models.DateTimeField(auto_now_add=True)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="query_messages",
                        to="edc.staff",
                    ),
                ),
                (
                    "query",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="messages",
                        to="edc.dataquery",
                    ),
                ),
            ],
            options={"ordering": ("query", "written_at", "id")},
        ),
        migrations.CreateModel(
            name="SourceVerification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=20)),
                ("object_id", models.CharField(max_length=40)),
                ("field", models.CharField(max_length=60)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("verified", "Verified"),
                            ("changed", "Changed since verification"),
                        ],
                        max_length=8,
                    ),
                ),
                ("verified_at", models.DateTimeField()),
                ("changed_at", models.DateTimeField(blank=True, null=True)),
                ("change_reason", models.TextField(blank=True)),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="verifications",
                        to="edc.patient",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="verifications",
                        to="edc.site",
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="verifications",
                        to="edc.staff",
                    ),
                ),
            ],
            options={
                "ordering": ("site", "patient", "kind", "object_id", "field"),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id", "field"), name="one_verification_per_field"
                    )
                ],
            },
        ),
    )
