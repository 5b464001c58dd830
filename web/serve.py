"""Running the app under a production WSGI server: gunicorn, N worker processes × M threads.

Search is CPU-bound pure Python, so one process tops out at one core whatever its thread count;
gunicorn's pre-fork master runs one worker per core, restarts a worker that dies, and stops
gracefully on SIGTERM (requests in flight finish, then each worker closes its index readers).
Each worker builds its own app and Engine after the fork, so no index file handle or lock is
shared between processes; every worker notices a new generation by itself. The measurements
that chose gunicorn over waitress are in the README.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Callable

from flask import Flask

from .engine_access import close_engine

ACCESS_FORMAT = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
MAX_REQUEST_LINE = 8190
GRACEFUL_SECONDS = 20


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def run_server(make_app: Callable[[], Flask], host: str, port: int, threads: int, workers: int = 1,
               access_log: bool = True) -> None:
    """Serve until SIGTERM/SIGINT. MAKE_APP runs in each worker, after the fork."""
    from gunicorn.app.base import BaseApplication

    apps: list[Flask] = []

    class MarsadServer(BaseApplication):
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "graceful_timeout": GRACEFUL_SECONDS,
                "timeout": 120,
                "keepalive": 5,
                "limit_request_line": MAX_REQUEST_LINE,
                "limit_request_field_size": MAX_REQUEST_LINE,
                "accesslog": "-" if access_log else None,
                "access_log_format": ACCESS_FORMAT,
                "errorlog": "-",
                "loglevel": "info",
                "proc_name": "marsad",
                "worker_exit": lambda server, worker: [close_engine(app) for app in apps],
            }
            settings["control_socket_disable"] = True  # gunicorn ≥ 25: no shared socket under $HOME
            for key, value in settings.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Callable:
            app = make_app()
            app.logger.setLevel(logging.INFO)
            apps.append(app)
            return app

    MarsadServer().run()
