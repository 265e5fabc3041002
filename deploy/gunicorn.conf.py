"""gunicorn's settings for cspplan (README, "Running in production"):

    gunicorn -c deploy/gunicorn.conf.py cspplan.wsgi

Each is read from the environment, like the application's own settings, so that one file
serves every app server; `make serve` uses it on this machine.
"""

import multiprocessing
import os


def _whole_number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of 1 or more, not {value!r}.")
    return int(value)


# Where to listen. The default suits a reverse proxy on the same machine; behind a load
# balancer on other machines use the server's private address (e.g. 10.0.0.5:8000) or
# 0.0.0.0:8000 with a firewall that lets only the load balancer in.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Worker processes, each serving one request at a time (gunicorn's sync workers: the
# application works in the database and in openpyxl, not waiting on the network). They
# close each connection after its response and must not face slow clients themselves: keep
# a buffering reverse proxy (nginx, a load balancer) in front. gunicorn's rule of thumb is
# two per core, plus one.
workers = _whole_number("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)

# A request still running after this many seconds has its worker restarted. An import of
# the largest workbook allowed takes about ten seconds (settings.IMPORT_MAX_ACTIONS), a
# pack or export of a big plan a few: 60 leaves room on a slow day, and stops a stuck one.
timeout = _whole_number("GUNICORN_TIMEOUT", 60)
# On a restart or deploy (SIGTERM, SIGHUP), how long requests in hand have to finish.
graceful_timeout = _whole_number("GUNICORN_GRACEFUL_TIMEOUT", 30)

# A worker is replaced after this many requests (give or take the jitter, so that they
# are not all replaced at once): memory a long-lived process gathers is given back.
max_requests = _whole_number("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = 100

# No access log of gunicorn's: the application logs every request itself, as one line of
# JSON without personal data (cspplan/request_log.py). gunicorn's own messages (start,
# workers, errors) go to standard error, with the application's.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Nothing of gunicorn's on the server's disk: the workers' heartbeat files in memory where
# the system has a memory file system, and no control socket (gunicorn 25 and later make
# one in the home directory, which two servers started by one account would share).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
control_socket_disable = True

proc_name = "cspplan"
