"""The ICH E2A seriousness criteria of an adverse event. For the serious events already
recorded, only what the record says can be set: the death criterion where the event is
fatal (grade 5 / outcome fatal); the other criteria were never collected and stay false."""

from django.db import migrations, models

CRITERIA = (
    "sae_death",
    "sae_life_threatening",
    "sae_hospitalisation",
    "sae_disability",
    "sae_congenital_anomaly",
    "sae_medically_important",
)


def fatal_serious_events_result_in_death(apps, schema_editor):  # type: ignore[no-untyped-def]
    events = apps.get_model("edc", "AdverseEvent").objects.filter(serious=True)
    events.filter(models.Q(grade=5) | models.Q(outcome="fatal")).update(sae_death=True)


class Migration(migrations.Migration):
    dependencies = (("edc", "0013_merge_site_country_ctdna_results"),)

    operations = (
        *(
            migrations.AddField(
                model_name="adverseevent",
                name=name,
                field=models.BooleanField(default=False),
            )
            for name in CRITERIA
        ),
        migrations.RunPython(fatal_serious_events_result_in_death, migrations.RunPython.noop),
    )
