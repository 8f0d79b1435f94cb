#!/usr/bin/env bash
# Run CDISC's open rules engine (CORE) offline on the SDTM domains of an exported package.
#
#   CORE_DIR=/path/to/cdisc-rules-engine CORE_PYTHON=/path/to/core-venv/bin/python \
#     scripts/core_check.sh PACKAGE_DIR [xpt|json]
#
# CORE_DIR: a source checkout of github.com/cdisc-org/cdisc-rules-engine (its core.py and
# resources/cache/rules.pkl); CORE_PYTHON: a Python 3.12 environment with
# `pip install cdisc-rules-engine`. Not part of the test suite, not a project dependency.
#
# The checkout's cache holds the rules, but the CDISC Library metadata (standards_details,
# standards_models, variables_metadata) comes only from `core.py update-cache`, which needs
# a CDISC Library API key. When those files are missing, this script stands in minimal
# ones in a copy of the cache (SDTMIG 3.4 and ADaMIG 1.3 pointing at their models, no
# variable metadata), and says so: rules that need the library metadata are then skipped
# or fail, the others run. See docs/cdisc.md, section CORE.
set -euo pipefail

package=${1:?usage: core_check.sh PACKAGE_DIR [xpt|json]}
filetype=${2:-xpt}
: "${CORE_DIR:?set CORE_DIR to a cdisc-rules-engine checkout}"
: "${CORE_PYTHON:?set CORE_PYTHON to the python of an environment with cdisc-rules-engine}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$CORE_DIR/resources/cache" "$work/cache"
"$CORE_PYTHON" - "$work/cache" <<'PY'
import pickle, sys
from pathlib import Path

cache = Path(sys.argv[1])
stand_in = {
    "standards_details.pkl": {
        "standards/sdtmig/3-4": {"_links": {"model": {"href": "/mdr/sdtm/2-0"}}},
        "standards/adam/adamig-1-3": {"_links": {"model": {"href": "/mdr/adam/adam-2-1"}}},
    },
    "standards_models.pkl": {},
    "variables_metadata.pkl": {},
}
for name, content in stand_in.items():
    if not (cache / name).is_file():
        print(f"CORE cache has no {name} (CDISC Library API key needed): minimal stand-in")
        (cache / name).write_bytes(pickle.dumps(content))
PY

report="$work/sdtm"
(cd "$CORE_DIR" && "$CORE_PYTHON" core.py validate -s sdtmig -v 3-4 -ca "$work/cache" \
    -d "$package/sdtm" -ft "$filetype" -o "$report" -of json -p disabled -l error) \
    >"$work/core.log" 2>&1 || { tail -20 "$work/core.log"; exit 1; }
echo "engine log: $(grep -c '^\[ERROR' "$work/core.log" || true) rule evaluation errors logged"
"$CORE_PYTHON" - "$report.json" <<'PY'
import collections, json, sys

report = json.load(open(sys.argv[1]))
rules = collections.Counter(r["status"] for r in report["Rules_Report"])
print("SDTMIG 3.4 rules:", ", ".join(f"{n} {s.lower()}" for s, n in rules.most_common()))
found = [i for i in report["Issue_Summary"] if not i["message"].startswith("rule evaluation")]
failed = sorted({i["core_id"] for i in report["Issue_Summary"]} - {i["core_id"] for i in found})
print(f"rules the engine could not evaluate here: {', '.join(failed) or 'none'}")
for issue in sorted(found, key=lambda i: (-i["issues"], i["core_id"], i["dataset"])):
    print(f'{issue["core_id"]:12} {issue["dataset"]:7} {issue["issues"]:5}  {issue["message"][:90]}')
PY
