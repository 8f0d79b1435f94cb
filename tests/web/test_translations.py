"""The Chinese catalogue: every message translated, and the compiled catalogue (kept in the
repository, so that no build step is needed) is the one the ``.po`` file compiles to."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src/oligotrial/edc/web/locale/zh_Hans/LC_MESSAGES"


def _catalogue(mo: Path) -> dict[object, str]:
    with mo.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def test_every_message_is_translated() -> None:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = text.split("\n\n")[1:]
    assert len(entries) > 50
    for entry in entries:
        assert not re.search(r'^msgstr(\[0\])? ""$', entry, re.M), entry


def test_compiled_catalogue_matches_the_po_file(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is not installed (apt-get install -y gettext; .ci/run does it)")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(LOCALE / "django.po")], check=True)
    assert _catalogue(LOCALE / "django.mo") == _catalogue(fresh)
