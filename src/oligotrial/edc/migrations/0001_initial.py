# ruff: noqa: RUF012
# Initial schema of the trial database.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AllocationList",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("method", models.CharField(max_length=20)),
                ("protocol_id", models.CharField(max_length=64)),
                ("protocol_version", models.CharField(max_length=32)),
                ("seed", models.BigIntegerField()),
                ("arms", models.JSONField()),
                ("ratio", models.JSONField()),
                ("block_sizes", models.JSONField()),
                ("factors", models.JSONField()),
                ("p_best", models.FloatField(default=0.8)),
                ("slots_per_stratum", models.IntegerField()),
                ("generator", models.CharField(max_length=200)),
                ("fingerprint", models.CharField(max_length=64)),
                ("generated_at", models.DateTimeField(auto_now_add=True)),
                ("active", models.BooleanField(default=True)),
                ("allocated", models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(unique=True)),
                ("at", models.DateTimeField()),
                ("actor", models.CharField(max_length=150)),
                ("role", models.CharField(max_length=20)),
                ("action", models.CharField(max_length=20)),
                ("model", models.CharField(max_length=60)),
                ("object_id", models.CharField(max_length=40)),
                ("patient", models.CharField(blank=True, db_index=True, max_length=32)),
                ("site", models.CharField(blank=True, max_length=16)),
                ("changes", models.TextField()),
                ("reason", models.TextField(blank=True)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
            ],
            options={
                "ordering": ("seq",),
            },
        ),
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="Patient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("screening_number", models.CharField(max_length=32, unique=True)),
                (
                    "randomization_number",
                    models.CharField(blank=True, max_length=32, null=True, unique=True),
                ),
                ("birth_date", models.DateField(blank=True, null=True)),
                (
                    "sex",
                    models.CharField(
                        choices=[("F", "Female"), ("M", "Male"), ("U", "Unknown")],
                        default="U",
                        max_length=1,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("screening", "In screening"),
                            ("screen_failed", "Screen failure"),
                            ("randomized", "Randomized"),
                            ("withdrawn", "Withdrawn"),
                            ("lost", "Lost to follow-up"),
                            ("died", "Died"),
                        ],
                        default="screening",
                        max_length=16,
                    ),
                ),
                ("stratification", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ("screening_number",),
            },
        ),
        migrations.CreateModel(
            name="Site",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=16, unique=True)),
                ("name", models.CharField(max_length=200)),
                ("active", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ("code",),
            },
        ),
        migrations.CreateModel(
            name="TrialState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("locked", models.BooleanField(default=False)),
                ("locked_at", models.DateTimeField(blank=True, null=True)),
                ("locked_by", models.CharField(blank=True, max_length=150)),
            ],
        ),
        migrations.CreateModel(
            name="AllocationSlot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stratum", models.CharField(max_length=400)),
                ("sequence", models.IntegerField()),
                ("block", models.IntegerField()),
                ("block_size", models.IntegerField()),
                ("arm", models.CharField(max_length=8)),
                (
                    "allocation_list",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="slots",
                        to="edc.allocationlist",
                    ),
                ),
                (
                    "patient",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="slot",
                        to="edc.patient",
                    ),
                ),
            ],
            options={
                "ordering": ("allocation_list", "stratum", "sequence"),
            },
        ),
        migrations.CreateModel(
            name="NewAnticancerTherapy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("therapy", models.CharField(max_length=120)),
                ("start_date", models.DateField()),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="new_therapies",
                        to="edc.patient",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Lesion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=16)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("target", "Target"),
                            ("non_target", "Non-target"),
                            ("new", "New"),
                        ],
                        max_length=12,
                    ),
                ),
                ("organ", models.CharField(max_length=60)),
                ("nodal", models.BooleanField(default=False)),
                ("oligoprogressive", models.BooleanField(default=False)),
                ("previously_irradiated", models.BooleanField(default=False)),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lesions",
                        to="edc.patient",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Exposure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "line",
                    models.CharField(
                        choices=[("FLST", "First line"), ("SLST", "Second line")], max_length=8
                    ),
                ),
                ("drug", models.CharField(max_length=80)),
                ("dose", models.FloatField()),
                ("dose_unit", models.CharField(max_length=20)),
                ("start_date", models.DateField()),
                ("stop_date", models.DateField(blank=True, null=True)),
                ("change_reason", models.CharField(blank=True, max_length=200)),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exposures",
                        to="edc.patient",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Death",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("death_date", models.DateField()),
                (
                    "cause",
                    models.CharField(
                        choices=[
                            ("progression", "Disease progression"),
                            ("adverse_event", "Adverse event"),
                            ("other", "Other"),
                            ("unknown", "Unknown"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "patient",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="death",
                        to="edc.patient",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Biosample",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("ctdna", "ctDNA"), ("biopsy", "Biopsy")], max_length=8
                    ),
                ),
                ("time_point", models.CharField(max_length=40)),
                ("identifier", models.CharField(max_length=64, unique=True)),
                ("collected_on", models.DateField()),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="samples",
                        to="edc.patient",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="AdverseEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=120)),
                ("grade", models.IntegerField()),
                ("onset_date", models.DateField()),
                ("resolved_date", models.DateField(blank=True, null=True)),
                ("serious", models.BooleanField(default=False)),
                (
                    "related_rt",
                    models.CharField(
                        choices=[
                            ("unrelated", "Unrelated"),
                            ("unlikely", "Unlikely"),
                            ("possible", "Possible"),
                            ("probable", "Probable"),
                            ("definite", "Definite"),
                            ("not_applicable", "Not applicable"),
                        ],
                        default="not_applicable",
                        max_length=16,
                    ),
                ),
                (
                    "related_flst",
                    models.CharField(
                        choices=[
                            ("unrelated", "Unrelated"),
                            ("unlikely", "Unlikely"),
                            ("possible", "Possible"),
                            ("probable", "Probable"),
                            ("definite", "Definite"),
                            ("not_applicable", "Not applicable"),
                        ],
                        default="not_applicable",
                        max_length=16,
                    ),
                ),
                (
                    "related_slst",
                    models.CharField(
                        choices=[
                            ("unrelated", "Unrelated"),
                            ("unlikely", "Unlikely"),
                            ("possible", "Possible"),
                            ("probable", "Probable"),
                            ("definite", "Definite"),
                            ("not_applicable", "Not applicable"),
                        ],
                        default="not_applicable",
                        max_length=16,
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("recovered", "Recovered"),
                            ("recovering", "Recovering"),
                            ("not_recovered", "Not recovered"),
                            ("sequelae", "With sequelae"),
                            ("fatal", "Fatal"),
                            ("unknown", "Unknown"),
                        ],
                        default="not_recovered",
                        max_length=20,
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adverse_events",
                        to="edc.patient",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="RadiotherapyCourse",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("target_site", models.CharField(max_length=100)),
                ("total_dose_gy", models.FloatField()),
                ("fractions", models.IntegerField()),
                ("alpha_beta_gy", models.FloatField(default=10.0)),
                ("bed_gy", models.FloatField()),
                ("start_date", models.DateField()),
                ("end_date", models.DateField(blank=True, null=True)),
                (
                    "lesion",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="edc.lesion",
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rt_courses",
                        to="edc.patient",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Screening",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("screened_on", models.DateField()),
                ("protocol_id", models.CharField(max_length=64)),
                ("protocol_version", models.CharField(max_length=32)),
                ("eligible", models.BooleanField()),
                ("verdicts", models.JSONField(default=list)),
                ("evaluated_at", models.DateTimeField(auto_now_add=True)),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="screenings",
                        to="edc.patient",
                    ),
                ),
            ],
            options={
                "ordering": ("patient", "evaluated_at", "id"),
            },
        ),
        migrations.AddField(
            model_name="patient",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="patients", to="edc.site"
            ),
        ),
        migrations.CreateModel(
            name="DataQuery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("model", models.CharField(max_length=60)),
                ("object_id", models.CharField(max_length=40)),
                ("field", models.CharField(max_length=60)),
                ("rule", models.CharField(max_length=60)),
                ("message", models.CharField(max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("closed", "Closed")],
                        default="open",
                        max_length=8,
                    ),
                ),
                ("opened_at", models.DateTimeField(auto_now_add=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="queries",
                        to="edc.patient",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="queries",
                        to="edc.site",
                    ),
                ),
            ],
            options={
                "ordering": ("site", "opened_at", "id"),
            },
        ),
        migrations.CreateModel(
            name="Staff",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("username", models.CharField(max_length=150, unique=True)),
                ("full_name", models.CharField(blank=True, max_length=200)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("investigator", "Investigator"),
                            ("coordinator", "Coordinator"),
                            ("monitor", "Monitor"),
                            ("data_manager", "Data manager"),
                            ("statistician", "Statistician"),
                            ("admin", "Administrator"),
                        ],
                        max_length=20,
                    ),
                ),
                ("active", models.BooleanField(default=True)),
                (
                    "site",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="edc.site",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ("username",),
            },
        ),
        migrations.CreateModel(
            name="Consent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.CharField(max_length=32)),
                ("signed_on", models.DateField()),
                ("withdrawn_on", models.DateField(blank=True, null=True)),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consents",
                        to="edc.patient",
                    ),
                ),
                (
                    "obtained_by",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="edc.staff"),
                ),
            ],
        ),
        migrations.AddField(
            model_name="allocationlist",
            name="generated_by",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="edc.staff"),
        ),
        migrations.CreateModel(
            name="Allocation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("arm", models.CharField(max_length=8)),
                ("stratum", models.CharField(max_length=400)),
                ("randomization_number", models.CharField(max_length=32, unique=True)),
                ("randomized_on", models.DateField()),
                ("randomized_at", models.DateTimeField(auto_now_add=True)),
                (
                    "allocation_list",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="edc.allocationlist"
                    ),
                ),
                (
                    "slot",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="edc.allocationslot",
                    ),
                ),
                (
                    "patient",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="allocation",
                        to="edc.patient",
                    ),
                ),
                (
                    "randomized_by",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="edc.staff"),
                ),
            ],
        ),
        migrations.CreateModel(
            name="StratumCursor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stratum", models.CharField(max_length=400)),
                ("next_sequence", models.IntegerField(default=1)),
                (
                    "allocation_list",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="edc.allocationlist"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Visit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.IntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("baseline", "Baseline"),
                            ("assessment", "Assessment"),
                            ("unscheduled", "Unscheduled"),
                        ],
                        max_length=16,
                    ),
                ),
                ("due_date", models.DateField(blank=True, null=True)),
                ("window_days", models.IntegerField(default=0)),
                ("visit_date", models.DateField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("scheduled", "Scheduled"),
                            ("done", "Done"),
                            ("missed", "Missed"),
                        ],
                        default="scheduled",
                        max_length=10,
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="visits",
                        to="edc.patient",
                    ),
                ),
            ],
            options={
                "ordering": ("patient", "number"),
            },
        ),
        migrations.CreateModel(
            name="LesionMeasurement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("measured_on", models.DateField()),
                ("diameter_mm", models.FloatField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("present", "Present"),
                            ("absent", "Absent"),
                            ("too_small", "Too small"),
                            ("not_evaluated", "Not evaluated"),
                            ("unequivocal_pd", "Unequivocal PD"),
                        ],
                        default="present",
                        max_length=16,
                    ),
                ),
                ("modality", models.CharField(default="CT", max_length=8)),
                (
                    "lesion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="measurements",
                        to="edc.lesion",
                    ),
                ),
                (
                    "visit",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="edc.visit"),
                ),
            ],
        ),
        migrations.CreateModel(
            name="LabResult",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("analyte", models.CharField(max_length=40)),
                ("value", models.FloatField(blank=True, null=True)),
                ("unit", models.CharField(max_length=20)),
                ("reference_low", models.FloatField(blank=True, null=True)),
                ("reference_high", models.FloatField(blank=True, null=True)),
                ("sampled_on", models.DateField()),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="labs",
                        to="edc.patient",
                    ),
                ),
                (
                    "visit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="edc.visit",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Withdrawal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("withdrawal", "Withdrew consent"), ("lost", "Lost to follow-up")],
                        max_length=20,
                    ),
                ),
                ("last_known_alive", models.DateField()),
                ("effective_date", models.DateField()),
                ("reason", models.CharField(blank=True, max_length=200)),
                (
                    "patient",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="withdrawal",
                        to="edc.patient",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="lesion",
            constraint=models.UniqueConstraint(
                fields=("patient", "code"), name="lesion_unique_code"
            ),
        ),
        migrations.AddConstraint(
            model_name="allocationslot",
            constraint=models.UniqueConstraint(
                fields=("allocation_list", "stratum", "sequence"), name="slot_unique_position"
            ),
        ),
        migrations.AddConstraint(
            model_name="stratumcursor",
            constraint=models.UniqueConstraint(
                fields=("allocation_list", "stratum"), name="cursor_unique_stratum"
            ),
        ),
        migrations.AddConstraint(
            model_name="visit",
            constraint=models.UniqueConstraint(
                fields=("patient", "number"), name="visit_unique_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="lesionmeasurement",
            constraint=models.UniqueConstraint(
                fields=("lesion", "visit"), name="measurement_unique_visit"
            ),
        ),
    ]
