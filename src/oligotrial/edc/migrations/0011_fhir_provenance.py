"""Screening drafts keep which EHR resource filled which field (shown after reloading)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("edc", "0010_merge_office_sign_ctdna"),)

    operations = (
        migrations.AddField(
            model_name="screeningdraft",
            name="ehr_sources",
            field=models.JSONField(blank=True, default=dict),
        ),
    )
