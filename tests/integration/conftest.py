"""The SDTM tests' trial, shared by the modules beside this file (built once a session)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # sdtm_support, for the tests beside this file

from sdtm_support import exported, sdtm, trial

__all__ = ["exported", "sdtm", "trial"]
