"""Joins three migrations made side by side: screening drafts, query answers and API tokens."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = (
        ("edc", "0007_api_tokens"),
        ("edc", "0007_query_answers"),
        ("edc", "0007_screening_draft"),
    )
    operations = ()
