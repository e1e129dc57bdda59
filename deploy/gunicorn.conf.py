"""gunicorn settings for one Signpost app server: `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be overridden from the environment (deploy/signpost.env.example lists them), so one
file serves every app server; the application is config.wsgi unless GUNICORN_APP says otherwise.

Signals to the master (`systemctl reload signpost` sends HUP; `kill -HUP <master pid>` is the same):
- HUP: graceful reload. Re-reads this file and the logging setup, reopens the log files, listens on a
  changed bind address, and replaces every worker: new workers start, the old ones finish the requests
  they have (graceful_timeout) and exit, so no request is dropped. With preload_app on (the default here)
  the new workers are forked from the master's already loaded application, so HUP does NOT load new
  code: after deploying code, restart (`systemctl restart signpost`) one app server at a time; nginx
  skips the one restarting (it refuses connections until the application is loaded, see preload_app), so
  no request fails. With GUNICORN_PRELOAD=0, HUP loads new code too, but a starting server then accepts
  connections seconds before its workers can answer them.
- TERM: graceful stop; INT/QUIT: immediate stop; TTIN/TTOU: one worker more/less; USR1: reopen logs.
"""

import contextlib
import multiprocessing
import os
import time


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


wsgi_app = _str("GUNICORN_APP", "config.wsgi:application")

# Where nginx reaches this server: host:port, or unix:/run/signpost/gunicorn.sock on nginx's own host.
# Several addresses: separate them with commas.
bind = [address.strip() for address in _str("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address.strip()]
backlog = _int("GUNICORN_BACKLOG", 2048)

# Sync workers: one request at a time each, simple and robust; nginx buffers slow clients for them.
# The answers are cached (Redis), so a worker spends little time per request. 2 × cores + 1 by default.
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
worker_class = _str("GUNICORN_WORKER_CLASS", "sync")  # or "gthread" with GUNICORN_THREADS
threads = _int("GUNICORN_THREADS", 1)

# A worker silent for this long is killed and replaced; on HUP/TERM, workers get this long to finish.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # only gthread keeps connections open; sync ignores it

# Replace each worker after about this many requests (the jitter spreads the restarts out), so that a
# slow leak anywhere cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Preloaded: the master imports Django and the app (and warms it up, see on_starting) BEFORE it binds
# the port, then forks ready workers. A starting or restarting server therefore refuses connections
# until it can answer them, and nginx goes straight to another app server instead of queueing requests
# behind workers that are still importing Django (measured by deploy/chaos/run: seconds of waiting).
# Workers replaced after max_requests start instantly as well. The cost: HUP does not load new code
# (see above). Nothing here opens a database or Redis connection in the master.
preload_app = _str("GUNICORN_PRELOAD", "1").lower() not in ("0", "false", "no", "off")

# Django decides about X-Forwarded-Proto itself (DJANGO_BEHIND_TLS_PROXY); gunicorn trusts the header
# only from these addresses (nginx's), for wsgi.url_scheme. Comma-separated; "*" if only nginx can
# reach this port at all (firewall).
forwarded_allow_ips = _str("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Request size limits (the defaults, stated): the request line, header count and header size.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The heartbeat files in memory, not on a disk that may stall (and /tmp is private under systemd).
worker_tmp_dir = _str("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else "")  # noqa: S108
if not worker_tmp_dir:
    worker_tmp_dir = None

# gunicorn >= 25.1 opens a control socket for `gunicornc` under $XDG_RUNTIME_DIR or ~/.gunicorn, which
# several servers on one host would share and a hardened service cannot write: off unless a path is given
# (e.g. /run/signpost/gunicorn.ctl with systemd's RuntimeDirectory=signpost).
control_socket_path = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if control_socket_path:
    control_socket = control_socket_path
else:
    control_socket_disable = True

proc_name = _str("GUNICORN_PROC_NAME", "signpost")

# Logs: to stderr (the journal under systemd) unless a file is named.
# The access log keeps the time, the request line, the status, the size and the duration, and nothing
# else: no client address (it would be nginx's anyway), no referrer, no user agent, no header, no
# cookie. The request line itself names the country and situation a person chose, so the log is
# still sensitive: keep it short. GUNICORN_ACCESSLOG=off writes none.
accesslog = _str("GUNICORN_ACCESSLOG", "-")
if accesslog.lower() in ("off", "none", "0"):
    accesslog = None
access_log_format = '%(t)s "%(r)s" %(s)s %(B)s %(M)sms'
errorlog = _str("GUNICORN_ERRORLOG", "-")
loglevel = _str("GUNICORN_LOGLEVEL", "info")
capture_output = False


def on_starting(server):
    """In the master, before the port is bound: with preload_app, load what every first request needs.

    The URL configuration (and so every view module), the compiled templates and the translation
    catalogues of every language, so that workers forked from here answer their first request as fast
    as their thousandth. No database or cache access: the master must hold no connection its workers
    would share.
    """
    if not server.cfg.preload_app:
        return
    started = time.monotonic()
    try:
        from django.conf import settings
        from django.template import TemplateDoesNotExist
        from django.template.loader import get_template
        from django.urls import get_resolver
        from django.utils import translation

        get_resolver().url_patterns  # noqa: B018 (imports config.urls and every view it names)
        for code, _name in settings.LANGUAGES:
            translation.activate(code)  # loads and caches the language's catalogue
        translation.deactivate()
        for name in WARM_TEMPLATES:
            with contextlib.suppress(TemplateDoesNotExist):
                get_template(name)
    except Exception:  # a warm-up must never stop the server from starting
        server.log.warning("Warm-up failed; workers will load on their first requests", exc_info=True)
        return
    server.log.info(
        "Warmed up URLs, %d languages and templates in %.2f s", len(settings.LANGUAGES), time.monotonic() - started
    )


WARM_TEMPLATES = [
    "reporting/start.html",
    "reporting/country.html",
    "reporting/answer.html",
    "reporting/leaving.html",
    "reporting/not_found.html",
    "reporting/embed.html",
    "reporting/problem.html",
    "500.html",
    "503.html",
]
