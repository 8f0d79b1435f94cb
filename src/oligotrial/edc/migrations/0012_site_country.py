"""A site's country (ISO 3166-1 alpha-3; SDTM DM.COUNTRY). The trial's sites are all in
China (registry NCT06841172), so the sites already recorded are set to CHN before the
field becomes required."""

from django.db import migrations, models

import oligotrial.edc.models.sites


def sites_in_china(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("edc", "Site").objects.filter(country__isnull=True).update(country="CHN")


class Migration(migrations.Migration):
    dependencies = (("edc", "0011_fhir_provenance"),)

    operations = (
        migrations.AddField(
            model_name="site",
            name="country",
            field=models.CharField(max_length=3, null=True),
        ),
        migrations.RunPython(sites_in_china, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="site",
            name="country",
            field=models.CharField(
                default="CHN",
                max_length=3,
                validators=[oligotrial.edc.models.sites.validate_country],
            ),
        ),
    )
