"""Joins two migrations made side by side: the stored screening record and the keyed chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = (
        ("edc", "0004_audit_keyed"),
        ("edc", "0004_screening_record"),
    )
    operations = ()
