"""A site's language: what its staff's pages are shown in until they choose one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("edc", "0005_merge_screening_record_audit_keyed"),)
    operations = (
        migrations.AddField(
            model_name="site",
            name="language",
            field=models.CharField(
                choices=[("zh-hans", "简体中文"), ("en", "English")],
                default="zh-hans",
                max_length=8,
            ),
        ),
    )
