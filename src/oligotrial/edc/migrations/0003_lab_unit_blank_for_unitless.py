# ruff: noqa: RUF012
# Lab units may be blank for unitless analytes (INR).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("edc", "0002_audit_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="labresult",
            name="unit",
            field=models.CharField(blank=True, max_length=20),
        ),
    ]
