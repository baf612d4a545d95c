"""gunicorn settings for production: gunicorn wsgi:app (this file is read automatically).

Every setting can be overridden from the environment, as named below.
"""

import multiprocessing
import os

bind = os.environ.get("EVENTSITE_BIND", "127.0.0.1:8000")
# Requests spend most of their time in Python, so one process per core does the work;
# the threads keep a core busy while another request waits on the database.
workers = int(os.environ.get("EVENTSITE_WEB_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("EVENTSITE_WEB_THREADS", "4"))
worker_class = "gthread"
# Idle keep-alive connections from the reverse proxy are reused for a short while.
keepalive = int(os.environ.get("EVENTSITE_WEB_KEEPALIVE", "5"))
# A request slower than this is stuck: the worker is restarted.
timeout = int(os.environ.get("EVENTSITE_WEB_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without end.
max_requests = int(os.environ.get("EVENTSITE_WEB_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# Load the app (and the zip table, see wsgi.py) once before forking: workers share its
# memory and start fast. The app opens no database connection at load time.
preload_app = True
accesslog = os.environ.get("EVENTSITE_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("EVENTSITE_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Private links (/host/<token>, /rsvps/<token>) are logged with their tokens redacted.
logger_class = "eventsite.logs.PrivateLinksRedactedLogger"
