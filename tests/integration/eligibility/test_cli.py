"""The screening and protocol commands: checklists, JSON, batches, and bad input (exit 2,
no verdict, no traceback)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oligotrial.cli import app

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "screening"
AS_OF = ["--as-of", "2026-01-01"]
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _expected(name: str) -> tuple[str, list[str]]:
    if name.startswith("eligible"):
        return "eligible", []
    if name.startswith("incomplete"):
        return "incomplete", []
    ids = re.findall(r"(?:^|-)([IE]\d+)(?=-)", name.removeprefix("fails"))
    return "ineligible", ids


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_gets_the_verdict_its_name_says(path: Path) -> None:
    code, out, _ = _run("screen", str(path), "--json", *AS_OF)
    assert code == 0
    payload = json.loads(out)
    overall, failed = _expected(path.stem)
    assert payload["overall"] == overall
    assert sorted(payload["failed"]) == sorted(failed)
    if overall == "incomplete":
        assert len(payload["missing"]) == 1


def test_there_are_enough_examples() -> None:
    names = [p.stem for p in EXAMPLES.glob("*.json")]
    assert len(names) >= 30
    failing = {i for n in names if n.startswith("fails") for i in _expected(n)[1]}
    assert failing == {f"I{i}" for i in range(1, 11)} | {f"E{i}" for i in range(1, 18)}


def test_checklist_marks() -> None:
    code, out, _ = _run("screen", str(EXAMPLES / "fails-I6-child-pugh-8.json"), *AS_OF)
    assert code == 0
    assert "INELIGIBLE" in out
    assert "✘ I6   not met     child_pugh_score=8" in out
    assert "✔ I7   met         ecog=0" in out
    assert "Not eligible because of: I6" in out
    code, out, _ = _run("screen", str(EXAMPLES / "incomplete-no-albumin.json"), *AS_OF)
    assert "? I6   cannot tell missing: labs.albumin" in out
    assert "Data needed: labs.albumin" in out


def test_batch_summary_counts_each_criterion() -> None:
    code, out, _ = _run("screen", str(EXAMPLES / "all-examples.jsonl"), "--json", *AS_OF)
    assert code == 0
    payload = json.loads(out)
    summary = payload["summary"]
    assert summary["patients"] == len(list(EXAMPLES.glob("*.json")))
    assert summary["overall"] == {"ineligible": 33, "eligible": 7, "incomplete": 2}
    by_id = {row["id"]: row for row in summary["criteria"]}
    assert by_id["I9"]["fail"] == 2 and by_id["I9"]["fail_alone"] == 2
    assert by_id["E2"]["fail"] == 1 and by_id["E2"]["fail_alone"] == 0
    assert by_id["I6"]["cannot_tell"] == 1
    rows = {row["patient_id"]: row for row in payload["patients"]}
    assert rows["SDCH-0110"] == {
        "patient_id": "SDCH-0110",
        "overall": "ineligible",
        "failed": ["I6"],
        "cannot_tell": [],
    }


def test_batch_table_output() -> None:
    code, out, _ = _run("screen", str(EXAMPLES / "all-examples.jsonl"), *AS_OF)
    assert code == 0
    assert "42 patients screened against NCT06841172: 7 eligible, 33 ineligible" in out
    assert re.search(r"│ E9\s+│\s+2 │\s+2 │\s+0 │", out)


def _bad(tmp_path: Path, name: str, text: str) -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return _run("screen", str(path), *AS_OF)


def _example(**changes: object) -> dict[str, object]:
    data: dict[str, object] = json.loads((EXAMPLES / "eligible-01.json").read_text("utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("a.json", '{"patient_id": "x",', "malformed JSON at line 1"),
        ("b.json", json.dumps(_example(ecgo=1)), "ecgo: unknown field"),
        ("c.json", json.dumps(_example(ecog=-1)), "ecog: Input should be greater than"),
        ("d.json", json.dumps(_example(screening_date="2030-01-01")), "in the future"),
        ("e.json", json.dumps(_example(birth_date="2025-01-01")), "before birth_date"),
        (
            "f.json",
            json.dumps(_example(labs={"afp": {"value": 1, "unit": "mmol/L"}})),
            "labs.afp.unit: unknown unit",
        ),
        (
            "g.json",
            json.dumps(_example(labs={"inr": {"value": 0, "unit": ""}})),
            "labs.inr.value: inr must be greater than 0",
        ),
        ("h.jsonl", json.dumps(_example()) + "\n{bad\n", "line 2: malformed JSON at column 2"),
        # the first bad line in line order is named, whatever is wrong with later ones
        ("h1.jsonl", '{"patient_id": "a"}\n{bad\n', "line 1: screening_date: required"),
        ("h2.jsonl", '{"patient_id": "a"}\n', "line 1: screening_date: required"),
        (
            "i.jsonl",
            json.dumps(_example()) + "\n" + json.dumps(_example(colour=1)) + "\n",
            "line 2: colour: unknown field",
        ),
        ("j.jsonl", json.dumps(_example()) + "\n{bad json\n", "line 2: malformed JSON"),
        ("k.jsonl", "\n\n", "no records"),
    ],
)
def test_bad_input_exit_2_no_verdict(tmp_path: Path, name: str, text: str, words: str) -> None:
    code, out, err = _bad(tmp_path, name, text)
    assert code == 2
    assert words in err
    assert "Traceback" not in err
    for verdict in ("ELIGIBLE", "INELIGIBLE", "eligible", "screened"):
        assert verdict not in out


def test_missing_file_and_bad_date(tmp_path: Path) -> None:
    code, _, err = _run("screen", str(tmp_path / "none.json"))
    assert code == 2 and "no such file" in err
    code, _, err = _run("screen", str(EXAMPLES / "eligible-01.json"), "--as-of", "soon")
    assert code == 2 and "--as-of" in err


def test_other_protocol_file() -> None:
    breast = ROOT / "tests" / "unit" / "protocol" / "data" / "oligo_breast.yaml"
    code, out, _ = _run(
        "screen", str(EXAMPLES / "eligible-01.json"), "--protocol", str(breast), "--json", *AS_OF
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["protocol"]["id"] == "TEST-OMBC-01"
    assert [c["id"] for c in payload["criteria"]] == ["I1", "I2", "I3", "I4", "E1", "E2"]


def test_schema_screening() -> None:
    code, out, _ = _run("schema", "screening")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "ScreeningRecord"
    assert schema["additionalProperties"] is False


def test_protocol_show_and_validate(tmp_path: Path) -> None:
    code, out, _ = _run("protocol", "show")
    assert code == 0
    assert "NCT06841172 version 1.0" in out
    assert "age_at_consent_years between 18 and 75" in out
    assert "every 8 weeks ± 7 days" in out
    assert "scans due at weeks 8, 16, 24, 32, 40, 48, 60, 72, 84, 96, …" in out
    code, out, _ = _run("protocol", "show", "--json")
    assert json.loads(out)["design"]["planned_events"] == 118
    code, out, _ = _run(
        "protocol", "validate", str(ROOT / "tests/unit/protocol/data/oligo_breast.yaml")
    )
    assert code == 0 and "valid (TEST-OMBC-01" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: X\nversion: 1\n", encoding="utf-8")
    code, out, err = _run("protocol", "validate", str(bad))
    assert code == 2 and "bad.yaml line" in err and "required field is missing" in err


def test_subprocess_main_command() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "oligotrial", "screen", str(EXAMPLES / "eligible-01.json")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "SDCH-0001 — NCT06841172 v1.0: ELIGIBLE" in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "oligotrial", "screen", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2 and "malformed JSON" in bad.stderr
    assert "Traceback" not in bad.stderr


def _lesion_edit(index: int, **changes: object) -> dict[str, object]:
    data = _example()
    lesions: list[dict[str, object]] = data["oligoprogression"]["lesions"]  # type: ignore[index]
    lesions[index].update(changes)
    return data


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("s1.json", json.dumps(_example(ecog=True)), "error: ecog: Input should be a valid int"),
        ("s2.json", json.dumps(_example(ecog="1")), "error: ecog: Input should be a valid integer"),
        (
            "s3.json",
            json.dumps(_lesion_edit(0, longest_diameter_mm=True)),
            "oligoprogression.lesions.0.longest_diameter_mm: Input should be a valid number",
        ),
        (
            "s4.json",
            json.dumps(_lesion_edit(0, longest_diameter_mm=float("nan"))),
            "oligoprogression.lesions.0.longest_diameter_mm: must be a finite number, not NaN",
        ),
        (
            "s5.json",
            json.dumps(_lesion_edit(0, short_axis_mm=float("inf"))),
            "oligoprogression.lesions.0.short_axis_mm: must be a finite number, not infinity",
        ),
        (
            "s6.json",
            json.dumps(_lesion_edit(1, previously_irradiated=True, progressed_after_rt=False)),
            "oligoprogression.lesions.1.progressed_after_rt: false for a previously irradiated",
        ),
        (
            "s7.jsonl",
            json.dumps(_example()) + "\n" + json.dumps(_example()) + "\n",
            "line 2: patient_id: 'SDCH-0001' is already given on line 1",
        ),
        (
            "s8.jsonl",
            json.dumps(_example(patient_id="A")) + "\n" + json.dumps(_example(sex=1)) + "\n",
            "line 2: sex: Input should be 'female' or 'male'",
        ),
    ],
)
def test_strict_input_exit_2_one_line_naming_the_field(
    tmp_path: Path, name: str, text: str, words: str
) -> None:
    code, out, err = _bad(tmp_path, name, text)
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert "screened" not in out and "ELIGIBLE" not in out
