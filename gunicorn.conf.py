"""gunicorn settings for Mojaz: `gunicorn -c gunicorn.conf.py "app.service.asgi:create_asgi_app()"` (the Docker
entrypoint).

gunicorn's asyncio worker reads each request body in full on its event loop before the Flask app gets one of
the worker's threads (app/service/asgi.py): a client sending its body slowly costs a coroutine, not a thread,
so slow clients cannot stop the others.

Everything comes from the environment:
  MOJAZ_BIND (or PORT)      address to listen on, default 0.0.0.0:8000
  WEB_CONCURRENCY           worker processes, default 2
  MOJAZ_MODEL_THREADS       torch threads per worker; default (0) the usable cores / workers
  MOJAZ_THREADS             threads per worker that run the app once a body has arrived, default 4: health
                            checks and metrics are answered while a long generation runs (app/config.py)
  MOJAZ_REQUEST_TIMEOUT     seconds a briefing may take before the caller gets 503, default 30 (app/config.py)
  MOJAZ_BODY_TIMEOUT        seconds a client may take to send its body before it gets 408, default 60
  MOJAZ_TIMEOUT             seconds a worker's event loop may stay silent before it is restarted, default 180
  MOJAZ_GRACEFUL_TIMEOUT    seconds to finish requests in flight after SIGTERM, default 60
  PROMETHEUS_MULTIPROC_DIR  where workers keep their metrics; default a fresh folder per master process
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

DEFAULT_PORT = 8000

bind = os.environ.get("MOJAZ_BIND") or f"0.0.0.0:{os.environ.get('PORT', DEFAULT_PORT)}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# The model stage gives each worker the cores divided between WEB_CONCURRENCY workers (app/model/threads.py);
# export the default so it divides by the real number.
os.environ["WEB_CONCURRENCY"] = str(workers)
worker_class = "asgi"
wsgi_app = "app.service.asgi:create_asgi_app()"
asgi_lifespan = "off"
timeout = int(os.environ.get("MOJAZ_TIMEOUT", "180"))
graceful_timeout = int(os.environ.get("MOJAZ_GRACEFUL_TIMEOUT", "60"))
keepalive = 5
# The model loads once in the master (create_app runs before fork) and the workers share its pages.
preload_app = True
os.environ.setdefault("MOJAZ_MODEL_LOAD", "sync")
# Several masters on one machine would fight over the default control socket (~/.gunicorn/gunicorn.ctl);
# signals (TERM, HUP, TTIN/TTOU) manage the server instead.
control_socket_disable = True
accesslog = None
errorlog = "-"
loglevel = os.environ.get("MOJAZ_LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.service.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        # The app's JSON request line (with request id and timings) replaces the access log.
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}


def _metrics_dir() -> None:
    """prometheus-client reads PROMETHEUS_MULTIPROC_DIR when it is imported, which happens when the app is
    preloaded, so it is set here. The folder is emptied once per master (stale counts from an earlier run
    would add up), and not again when a SIGHUP reloads this file with workers still writing to it."""
    marker = "MOJAZ_METRICS_MASTER"
    if os.environ.get(marker) == str(os.getpid()):
        return
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    folder = Path(given or Path(tempfile.gettempdir()) / f"mojaz-metrics-{os.getpid()}")
    if given:  # the operator's folder: only our files go
        for stale in folder.glob("*.db"):
            stale.unlink(missing_ok=True)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    os.environ[marker] = str(os.getpid())


_metrics_dir()


def child_exit(server, worker) -> None:  # type: ignore[no-untyped-def]
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if Path(folder).name == f"mojaz-metrics-{os.getpid()}":
        shutil.rmtree(folder, ignore_errors=True)
