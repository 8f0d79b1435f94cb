"""Screen, randomize and record the baseline visit of one patient through the REST API.

    export OLIGOTRIAL_API_TOKEN=olt_…        # from `oligotrial tokens create coord-jn01`
    python examples/api/client.py --url http://127.0.0.1:8000 --patient JN01-API-001

The token is read from the environment (never from the command line, where other users of
the machine could see it). Every refusal is printed as the API gives it: the field and the
problem.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import httpx

RECORD = Path(__file__).resolve().parents[1] / "screening" / "eligible-01.json"


def ok(response: httpx.Response) -> dict:
    """The JSON body of a successful answer; a refusal ends the script with its message."""
    if response.is_success:
        return response.json()
    error = response.json()
    sys.exit(
        f"{response.request.method} {response.request.url.path}: {response.status_code} "
        f"{error['field']}: {error['problem']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--patient", required=True, help="a new screening number")
    args = parser.parse_args()
    token = os.environ["OLIGOTRIAL_API_TOKEN"]
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"{args.url}/api", headers=headers, timeout=30) as api:
        # 1. screen: the record as the site holds it; the engine gives the verdicts
        record = json.loads(RECORD.read_text())
        record["patient_id"] = args.patient
        screening = ok(api.post("/screenings", json=record))
        failed = [v["id"] for v in screening["verdicts"] if v["in_favour"] is False]
        print(f"screened {args.patient}: {screening['overall']} {failed or ''}")
        # 2. consent, then randomize (a repeated request returns the same allocation)
        screened_on = dt.date.fromisoformat(record["screening_date"])
        day = (screened_on + dt.timedelta(days=1)).isoformat()
        ok(
            api.post(
                f"/patients/{args.patient}/consents",
                json={"version": "1.0", "signed_on": record["consent"]["date"]},
            )
        )
        allocation = ok(
            api.post(f"/patients/{args.patient}/randomization", json={"randomized_on": day})
        )
        print(f"randomized: arm {allocation['arm']}, number {allocation['randomization_number']}")
        # 3. schedule the visits and record the baseline visit as done
        visits = ok(
            api.post(f"/patients/{args.patient}/visits/schedule", json={"horizon_weeks": 24})
        )
        print(f"scheduled {len(visits)} visits")
        baseline = ok(api.post(f"/patients/{args.patient}/visits/0", json={"visit_date": day}))
        print(f"visit {baseline['number']} {baseline['status']} on {baseline['visit_date']}")
        # 4. a value that is not a number is refused, naming the field
        bad = api.post(
            f"/patients/{args.patient}/records/lab",
            json={"analyte": "albumin", "value": "38", "unit": "g/L", "sampled_on": day},
        )
        print(f"refused as it should be: {bad.status_code} {bad.json()}")


if __name__ == "__main__":
    main()
