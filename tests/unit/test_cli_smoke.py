"""The command starts, lists its groups, and reports errors without a traceback."""

from __future__ import annotations

import subprocess
import sys


def test_help_lists_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "oligotrial", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "schema" in result.stdout
    assert "Traceback" not in result.stderr
