"""Drive load at the real app under gunicorn with wrk, from a separate process."""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The RSVP form's hidden token field, its attributes in any order.
_CSRF_INPUT = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
_VALUE = re.compile(r'\bvalue="([^"]+)"')
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass
class LoadResult:
    endpoint: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses, socket errors and timeouts
    cache_hits: int | None = None  # responses served from the search page cache


class Server:
    """gunicorn serving wsgi:app with the production config (gunicorn.conf.py)."""

    def __init__(self, database_url: str, port: int, workdir: str, workers: int | None):
        self.base_url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "EVENTSITE_DATABASE_URL": database_url,
            "EVENTSITE_SECRET_KEY": secrets.token_hex(32),
            "EVENTSITE_BIND": f"127.0.0.1:{port}",
            "EVENTSITE_PUBLIC_URL": self.base_url,
            # The benchmark's clients all come from one address: without this every
            # rate limit would trip at once. Only the benchmark turns limits off.
            "EVENTSITE_RATELIMIT_ENABLED": "0",
            "EVENTSITE_ACCESS_LOG": os.path.join(workdir, "access.log"),
        }
        if workers:
            self.env["EVENTSITE_WEB_WORKERS"] = str(workers)
        self.log = open(os.path.join(workdir, "gunicorn.log"), "ab")  # noqa: SIM115
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=REPO,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not become healthy; see gunicorn.log in the workdir")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def csrf_token_in(html: str) -> str:
    """The CSRF token of the page's form."""
    field = _CSRF_INPUT.search(html)
    if field is None:
        raise ValueError("no csrf_token field in the page")
    return _VALUE.search(field.group(0)).group(1)


def csrf_sessions(base_url: str, event_ids: list[int], count: int) -> list[dict]:
    """`count` browser sessions, each a session cookie and the CSRF token of its form."""
    sessions = []
    for index in range(count):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        url = f"{base_url}/events/{event_ids[index % len(event_ids)]}"
        with opener.open(url, timeout=10) as response:
            html = response.read().decode()
        token = csrf_token_in(html)
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        sessions.append({"cookie": cookie, "token": token})
    return sessions


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for ASCII


_LUA_SEEDING = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end
function init(args)
  math.randomseed(os.time() * 100 + thread_id)
  hits = 0
end
"""

# Counts responses the app says came from its cache (Flask-Caching's hit_cache header).
_LUA_COUNT_CACHE_HITS = """
function response(status, headers, body)
  if headers["hit_cache"] then
    hits = hits + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("hits")
  end
  io.write(string.format("Cache hits: %d\\n", total))
end
"""


def get_script(paths: list[str], count_cache_hits: bool = False) -> str:
    listed = ",\n".join(_lua_string(p) for p in paths)
    counting = _LUA_COUNT_CACHE_HITS if count_cache_hits else ""
    return f"""{_LUA_SEEDING}{counting}
local paths = {{
{listed}
}}
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def _lua_rsvp(sessions: list[dict]) -> str:
    """Lua: rsvp(path), a POST of the RSVP form from one of the sessions, a new email each time."""
    listed = ",\n".join(
        f"{{cookie = {_lua_string(s['cookie'])}, token = {_lua_string(s['token'])}}}"
        for s in sessions
    )
    return f"""
local sessions = {{
{listed}
}}
local sent = 0
local function rsvp(path)
  sent = sent + 1
  local s = sessions[math.random(#sessions)]
  local email = "bench-" .. thread_id .. "-" .. sent .. "-" .. math.random(1000000000)
  local body = "name=Bench+Person&email=" .. email .. "%40example.org&phone=&zip_code=10001"
    .. "&guests=0&csrf_token=" .. s.token
  local headers = {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = s.cookie,
  }}
  return wrk.format("POST", path, headers, body)
end
"""


def rsvp_script(event_ids: list[int], sessions: list[dict]) -> str:
    events = ", ".join(str(i) for i in event_ids)
    return f"""{_LUA_SEEDING}{_lua_rsvp(sessions)}
local events = {{ {events} }}
function request()
  return rsvp("/events/" .. events[math.random(#events)] .. "/rsvp")
end
"""


def mix_script(paths: list[str], sessions: list[dict], rsvp_suffix: str) -> str:
    """GETs of the paths, drawn at random; a path ending in rsvp_suffix is an RSVP POST."""
    listed = ",\n".join(_lua_string(p) for p in paths)
    return f"""{_LUA_SEEDING}{_LUA_COUNT_CACHE_HITS}{_lua_rsvp(sessions)}
local paths = {{
{listed}
}}
local rsvp_suffix = {_lua_string(rsvp_suffix)}
function request()
  local path = paths[math.random(#paths)]
  if string.sub(path, -#rsvp_suffix) == rsvp_suffix then
    return rsvp(path)
  end
  return wrk.format("GET", path)
end
"""


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(endpoint: str, output: str) -> LoadResult:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in match.groups())
    hits = re.search(r"Cache hits: (\d+)", output)
    return LoadResult(
        endpoint, rate, p50, p99, requests, errors, int(hits.group(1)) if hits else None
    )


def run_wrk(
    base_url: str,
    endpoint: str,
    script: str,
    workdir: str,
    *,
    duration: float,
    connections: int,
    threads: int,
) -> LoadResult:
    path = os.path.join(workdir, f"{endpoint}.lua")
    with open(path, "w") as file:
        file.write(script)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        path,
        base_url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(endpoint, output)


def as_dict(result: LoadResult) -> dict:
    return asdict(result)
