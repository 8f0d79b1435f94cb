"""The recist, endpoints and schema commands on the shipped examples and on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from oligotrial.cli import app

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "assessments"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _json(*args: str) -> object:
    code, out, err = _run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize(
    ("name", "overall", "best"),
    [
        ("pr-then-pd", ["SD", "PR", "PD", "PD"], "PR"),
        ("cr-nodal-target", ["PR", "CR", "CR"], "CR"),
        ("non-target-only", ["NON-CR/NON-PD", "NON-CR/NON-PD", "PD"], "NON-CR/NON-PD"),
        ("ne-override", ["NE", "PD"], "PD"),
        ("equivocal-new-lesion", ["SD", "PD", "PD"], "SD"),
        ("censored-new-therapy", ["SD", "SD", "PD"], "SD"),
    ],
)
def test_recist_examples(name: str, overall: list[str], best: str) -> None:
    (out,) = _json("recist", str(EXAMPLES / f"{name}.json"))  # type: ignore[misc]
    assert [tp["overall"] for tp in out["time_points"]] == overall
    assert out["best_overall_response"]["response"] == best


def test_recist_table_shows_reasons() -> None:
    code, out, _ = _run("recist", str(EXAMPLES / "pr-then-pd.json"))
    assert code == 0
    assert "2025-08-18  PD: sum 41 mm ≥ 1.2 × nadir 30 mm and +11 mm" in out
    assert "Best overall response (unconfirmed): PR: first on 2025-06-23" in out


def test_mrecist_and_recist_differ_on_the_liver_example() -> None:
    path = str(EXAMPLES / "mrecist-liver.json")
    (m,) = _json("recist", path, "--criteria", "mrecist")  # type: ignore[misc]
    (r,) = _json("recist", path)  # type: ignore[misc]
    assert [tp["overall"] for tp in m["time_points"]] == ["PR", "PR", "CR"]
    assert [tp["overall"] for tp in r["time_points"]] == ["SD", "SD", "PD"]


def test_confirm_flag() -> None:
    (out,) = _json("recist", str(EXAMPLES / "cr-nodal-target.json"), "--confirm")  # type: ignore[misc]
    best = out["best_overall_response"]
    assert (best["response"], best["confirmed"]) == ("CR", True)
    assert "confirmed by CR on 2025-06-23 (56 days ≥ 28)" in best["reason"]


def test_endpoints_data_set() -> None:
    out = _json("endpoints", str(EXAMPLES / "dataset.json"))
    pfs = {p["subject_id"]: (p["pfs"]["cnsr"], p["pfs"]["date"]) for p in out["patients"]}  # type: ignore[index]
    assert pfs["103-002"] == (3, "2025-06-02")  # censored at new anticancer therapy
    assert pfs["103-001"] == (0, "2025-07-28")  # equivocal lesion dates PD back
    assert pfs["101-002"] == (2, "2025-06-23")
    rates = {(r["arm"], r["name"]): r["count"] for r in out["rates"]}  # type: ignore[index]
    assert rates[("all", "ORR")] == 2
    overview = {r["arm"]: r for r in out["safety_overview"]}  # type: ignore[index]
    assert overview["B"]["grade_5"] == 1


def test_endpoints_table() -> None:
    code, out, _ = _run("endpoints", str(EXAMPLES / "dataset.json"))
    assert code == 0
    assert "CNSR 3  2025-06-02  New anticancer therapy before progression" in out
    assert "Patients by SOC and term at maximum grade" in out


def test_schema_validates_every_example_and_forbids_extra_fields() -> None:
    code, out, _ = _run("schema", "assessments")
    assert code == 0
    schema = json.loads(out)
    for path in sorted(EXAMPLES.glob("*.json")):
        jsonschema.validate(json.loads(path.read_text()), schema)
    bad = json.loads((EXAMPLES / "pr-then-pd.json").read_text())
    bad["assessments"][0]["targets"][0]["size"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["assessments"][0]["targets"].append({"lesion": "T7", "mm": 4}),
            "assessments[0] (2025-04-28).lesion T7: this lesion was never recorded at baseline",
        ),
        (
            lambda d: d["assessments"][1].update(date="2025-04-28"),
            "a second assessment on the same date",
        ),
        (
            lambda d: d["assessments"][0]["targets"][0].update(status="gone"),
            "lesion T1: a size is given on a record marked gone",
        ),
        (
            lambda d: d["assessments"][0].update(date="2025-02-01"),
            "visit date is before randomization",
        ),
        (
            lambda d: d["assessments"][0]["targets"][0].update(mm=-2),
            "targets[0] (T1).mm: Input should be greater than or equal to 0",
        ),
        (
            lambda d: d.update(death_date="2025-09-01", last_known_alive=None),
            "subject 101-001: assessment on 2025-10-13 is after death_date",
        ),
        (
            lambda d: d["assessments"][0]["targets"][0].update(mm=True),
            "targets[0] (T1).mm: Input should be a valid number",
        ),
        (
            lambda d: d["assessments"][0]["targets"][0].update(mm="24"),
            "targets[0] (T1).mm: Input should be a valid number",
        ),
        (
            lambda d: d["baseline"][0].update(longest_mm=float("nan")),
            "baseline[0] (T1).longest_mm: must be a finite number, not NaN",
        ),
        (
            lambda d: d["baseline"][1].update(longest_mm=float("inf")),
            "baseline[1] (T2).longest_mm: must be a finite number, not infinity",
        ),
        (
            lambda d: d["baseline"][0].update(intrahepatic=1),
            "baseline[0] (T1).intrahepatic: Input should be a valid boolean",
        ),
    ],
)
def test_bad_input_exits_2_with_a_named_error(tmp_path: Path, mutate, message: str) -> None:
    data = json.loads((EXAMPLES / "pr-then-pd.json").read_text())
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    for command in ("recist", "endpoints"):
        code, out, err = _run(command, str(path))
        assert code == 2
        assert message in err
        assert out == ""  # no partial result
        assert "Traceback" not in err


def test_unreadable_files_and_options(tmp_path: Path) -> None:
    code, _, err = _run("recist", str(tmp_path / "missing.json"))
    assert (code, "file not found" in err) == (2, True)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    code, _, err = _run("endpoints", str(broken))
    assert (code, "not valid JSON" in err) == (2, True)
    code, _, err = _run("recist", str(EXAMPLES / "pr-then-pd.json"), "--criteria", "who")
    assert (code, "--criteria: must be one of recist1.1, mrecist" in err) == (2, True)


def test_subprocess_entry_point() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "oligotrial",
            "recist",
            str(EXAMPLES / "ne-override.json"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    (out,) = json.loads(done.stdout)
    assert out["time_points"][1]["reason"].startswith(
        "PD: sum 66 mm (partial: T2 not assessed) ≥ 1.2 × nadir 50 mm"
    )
    assert (out["time_points"][1]["sum_mm"], out["time_points"][1]["sum_partial"]) == (66, True)
    assert out["time_points"][1]["not_assessed"] == ["T2"]


def test_recist_table_marks_a_partial_sum() -> None:
    code, out, _ = _run("recist", str(EXAMPLES / "ne-override.json"))
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("2025-05-05"))
    assert row.split()[2] == "66*"  # the sum column: the partial sum, starred
    assert "2025-05-05  PD: sum 66 mm (partial: T2 not assessed) ≥ 1.2 × nadir 50 mm" in out


def test_protocol_option_reads_settings_from_a_protocol_file(tmp_path: Path) -> None:
    import yaml

    shipped = ROOT / "src" / "oligotrial" / "protocol" / "protocols" / "nct06841172.yaml"
    text = shipped.read_text(encoding="utf-8")
    assert "censor_at_new_anticancer_therapy: true" in text
    sensitivity = tmp_path / "sensitivity.yaml"
    sensitivity.write_text(
        text.replace(
            "censor_at_new_anticancer_therapy: true", "censor_at_new_anticancer_therapy: false"
        )
    )
    assert (
        yaml.safe_load(sensitivity.read_text())["endpoints"]["pfs"][
            "censor_at_new_anticancer_therapy"
        ]
        is False
    )
    path = str(EXAMPLES / "censored-new-therapy.json")
    (default,) = _json("endpoints", path, "--protocol", str(shipped))["patients"]  # type: ignore[index]
    (flag_off,) = _json("endpoints", path, "--protocol", str(sensitivity))["patients"]  # type: ignore[index]
    assert (default["pfs"]["cnsr"], default["pfs"]["date"]) == (3, "2025-06-02")
    assert (flag_off["pfs"]["cnsr"], flag_off["pfs"]["date"]) == (0, "2025-09-29")
