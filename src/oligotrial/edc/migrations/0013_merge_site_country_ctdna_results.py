"""Joins two migrations made side by side: the sites' country and the FHIR provenance of
ctDNA results."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = (
        ("edc", "0012_ctdna_fhir_results"),
        ("edc", "0012_site_country"),
    )
    operations = ()
