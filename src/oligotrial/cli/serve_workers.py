"""Several worker processes for ``oligotrial serve --workers N`` (gunicorn, threaded workers).

One Python process runs Python on one core at a time, so a single waitress process cannot
use a second core however many threads it has. With ``--workers`` above one, gunicorn's
master binds the port, forks the workers (each with ``--threads`` threads) and restarts a
worker that dies. The database is checked and migrated once, in the master, before the
fork; its connections are closed first so that no worker shares the master's socket to the
database (Django opens a connection per worker thread on first use).
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Workers(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._app


def serve_with_workers(app: Any, host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``app`` on ``host:port`` from ``workers`` processes of ``threads`` threads."""
    from django.db import connections

    connections.close_all()
    _Workers(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "proc_name": "oligotrial",
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            # the web pages may take a whole-trail CSV export; no request is cut short early
            "timeout": 120,
        },
    ).run()
