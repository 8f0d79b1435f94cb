"""A sample's result read from FHIR keeps the resources behind each of its fields."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("edc", "0011_fhir_provenance"),)

    operations = (
        migrations.AddField(
            model_name="sampleresult",
            name="fhir_sources",
            field=models.JSONField(blank=True, default=dict),
        ),
    )
