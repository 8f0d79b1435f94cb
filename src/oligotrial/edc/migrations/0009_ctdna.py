"""Samples from draw to result: status, processing, shipment, receipt and storage of a
biosample, its chain-of-custody events, and the laboratory's results with their mutations."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("edc", "0008_merge_drafts_answers_tokens"),)

    operations = (
        migrations.AddField(
            model_name="biosample",
            name="missing_reason",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="biosample",
            name="processed_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="biosample",
            name="received_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="biosample",
            name="shipped_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="biosample",
            name="status",
            field=models.CharField(
                choices=[
                    ("collected", "Collected"),
                    ("shipped", "Shipped"),
                    ("received", "Received"),
                    ("analysed", "Analysed"),
                    ("missing", "Missing"),
                ],
                default="collected",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="biosample",
            name="storage_location",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AlterField(
            model_name="biosample",
            name="collected_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="CustodyEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("collected", "Collected"),
                            ("processed", "Processed"),
                            ("shipped", "Shipped"),
                            ("received", "Received"),
                            ("analysed", "Analysed"),
                            ("missing", "Missing"),
                        ],
                        max_length=10,
                    ),
                ),
                ("on", models.DateField()),
                ("location", models.CharField(blank=True, max_length=120)),
                ("note", models.CharField(blank=True, max_length=200)),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="edc.staff",
                    ),
                ),
                (
                    "sample",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="custody",
                        to="edc.biosample",
                    ),
                ),
            ],
            options={
                "ordering": ("sample", "on", "id"),
            },
        ),
        migrations.CreateModel(
            name="SampleResult",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ctdna_detected", models.BooleanField(null=True)),
                ("mean_vaf_percent", models.FloatField(blank=True, null=True)),
                ("max_vaf_percent", models.FloatField(blank=True, null=True)),
                ("tumour_fraction_percent", models.FloatField(blank=True, null=True)),
                ("source", models.CharField(blank=True, max_length=200)),
                ("imported_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "sample",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="result",
                        to="edc.biosample",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="SampleMutation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("gene", models.CharField(max_length=32)),
                ("hgvs", models.CharField(max_length=120)),
                ("vaf_percent", models.FloatField()),
                (
                    "result",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mutations",
                        to="edc.sampleresult",
                    ),
                ),
            ],
            options={
                "ordering": ("result", "gene", "hgvs"),
            },
        ),
    )
