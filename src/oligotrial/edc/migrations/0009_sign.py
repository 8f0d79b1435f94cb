"""Investigator e-signatures, frozen data, and the last unlock of the trial state."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("edc", "0008_merge_drafts_answers_tokens"),)

    operations = (
        migrations.AddField(
            model_name="trialstate",
            name="unlock_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="trialstate",
            name="unlocked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="trialstate",
            name="unlocked_by",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.CreateModel(
            name="Freeze",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[("patient", "Patient"), ("visit", "Visit"), ("form", "Form")],
                        max_length=8,
                    ),
                ),
                ("kind", models.CharField(blank=True, max_length=20)),
                ("object_id", models.CharField(blank=True, max_length=40)),
                ("frozen_at", models.DateTimeField()),
                ("reason", models.TextField()),
                ("released_at", models.DateTimeField(blank=True, null=True)),
                ("release_reason", models.TextField(blank=True)),
                (
                    "frozen_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="edc.staff",
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="freezes",
                        to="edc.patient",
                    ),
                ),
                (
                    "released_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="edc.staff",
                    ),
                ),
                (
                    "visit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="edc.visit",
                    ),
                ),
            ],
            options={
                "ordering": ("patient", "frozen_at", "id"),
            },
        ),
        migrations.CreateModel(
            name="Signature",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[("casebook", "Casebook"), ("visit", "Visit")], max_length=10
                    ),
                ),
                ("printed_name", models.CharField(max_length=200)),
                ("meaning", models.CharField(max_length=100)),
                ("signed_at", models.DateTimeField()),
                ("content_hash", models.CharField(max_length=64)),
                ("voided_at", models.DateTimeField(blank=True, null=True)),
                ("void_reason", models.TextField(blank=True)),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signatures",
                        to="edc.patient",
                    ),
                ),
                (
                    "signer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signatures",
                        to="edc.staff",
                    ),
                ),
                (
                    "visit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="edc.visit",
                    ),
                ),
            ],
            options={
                "ordering": ("patient", "signed_at", "id"),
            },
        ),
    )
