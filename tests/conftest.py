"""Keeps an expensive set-up built once when the suite runs on several processes.

``scripts/check`` runs pytest-xdist with ``--dist loadgroup``: a test marked
``xdist_group(NAME)`` runs on the same worker as every other test of that group. Each test
that uses a module-scoped fixture (a module's own trial database, a built report) is
grouped with its module, and each test reading the demo trial with the other readers, so
that the fixture is built by one worker instead of by each worker that gets one of its
tests. Without ``-n`` the marks change nothing.
"""

from __future__ import annotations

import pytest

#: session fixtures that only a few modules use and that take long to build
SHARED = ("demo_dir",)


def _group(item: pytest.Item) -> str | None:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    for name in SHARED:
        if name in info.name2fixturedefs:
            return name
    for defs in info.name2fixturedefs.values():
        if any(d.scope == "module" for d in defs):
            return item.nodeid.split("::", 1)[0]
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        group = _group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
