"""gunicorn settings for reviewflow (`make serve`, or `gunicorn -c gunicorn.conf.py wsgi:app`).

Each setting can be changed from the environment without editing this file:
REVIEWFLOW_BIND (127.0.0.1:8000), REVIEWFLOW_WORKERS (2 x CPUs + 1, at most 8),
REVIEWFLOW_THREADS (1), REVIEWFLOW_TIMEOUT (60 s), REVIEWFLOW_ACCESS_LOG ("-" = stderr).
Behind a reverse proxy, set REVIEWFLOW_PROXY_COUNT (the app trusts that many X-Forwarded-* hops)
and REVIEWFLOW_FORWARDED_ALLOW_IPS (the proxy's address, for gunicorn itself).
"""
import multiprocessing
import os

bind = os.environ.get("REVIEWFLOW_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("REVIEWFLOW_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, 8))
threads = int(os.environ.get("REVIEWFLOW_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"

# A request that runs past `timeout` kills its worker (a Word import of the upload limit takes
# a few seconds); `graceful_timeout` lets requests in flight finish on a reload or stop.
timeout = int(os.environ.get("REVIEWFLOW_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that no worker's memory grows for ever.
max_requests = 2000
max_requests_jitter = 200
# Uploads pass through the app's own limit (REVIEWFLOW_MAX_UPLOAD_MB); headers are bounded here.
limit_request_line = 8190
limit_request_fields = 100

# No control socket (gunicorn 27's $HOME/.gunicorn/gunicorn.ctl): two servers on one host (a
# benchmark beside the real one) would fight over it, and nothing here uses it.
control_socket_disable = True

forwarded_allow_ips = os.environ.get("REVIEWFLOW_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("REVIEWFLOW_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("REVIEWFLOW_LOG_LEVEL", "info").lower()
# The request id is the app's X-Request-ID response header (reviewflow/logs.py): access lines and
# the app's own log lines of one request share it.
if os.environ.get("REVIEWFLOW_ENV") == "production" or os.environ.get("REVIEWFLOW_LOG_FORMAT") == "json":
    access_log_format = ('{"time": "%(t)s", "request_id": "%({x-request-id}o)s", "remote": "%(h)s", '
                         '"method": "%(m)s", "path": "%(U)s", "query": "%(q)s", "status": %(s)s, '
                         '"bytes": "%(B)s", "duration_ms": %(M)s, "agent": "%(a)s"}')
else:
    access_log_format = '%(h)s %(t)s %({x-request-id}o)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
