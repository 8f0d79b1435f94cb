"""The package re-exports the contracted entry points, and they are the modules' own."""

from __future__ import annotations

import oligotrial.clinical as clinical
from oligotrial.clinical import child_pugh as child_pugh_module
from oligotrial.clinical import lesions as lesions_module


def test_every_exported_name_resolves() -> None:
    missing = [name for name in clinical.__all__ if not hasattr(clinical, name)]
    assert missing == []


def test_exports_are_the_module_objects_and_hide_no_module() -> None:
    assert clinical.child_pugh_score_array is child_pugh_module.child_pugh_score_array
    assert clinical.count_oligoprogressive is lesions_module.count_oligoprogressive
    assert clinical.child_pugh is child_pugh_module  # the module, not the function
    assert clinical.albi.__name__ == "oligotrial.clinical.albi"
