"""Joins four migrations made side by side: the trial office (query messages, source data
verification), data cuts, signatures and freezes, and the biosample chain of custody and
results."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = (
        ("edc", "0009_ctdna"),
        ("edc", "0009_datacut"),
        ("edc", "0009_office"),
        ("edc", "0009_sign"),
    )
    operations = ()
