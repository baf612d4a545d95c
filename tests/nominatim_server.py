"""A stand-in Nominatim server on 127.0.0.1 for tests: GET /search?q=...&format=json&limit=1.

Switch its behaviour between calls: answer with a match at given coordinates, an empty
list, HTTP 429, a reply slower than the client's timeout, or stop it altogether so
connections are refused; start() brings it back on the same port.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class NominatimStandIn:
    def __init__(self):
        self.behaviour = "match"
        self.match_at = (40.7359, -73.9911)
        self.slow_seconds = 2.0
        self.queries: list[str] = []
        self.requests: list[dict[str, list[str]]] = []  # every request's parameters
        self.user_agents: list[str] = []
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer_match(self, latitude: float, longitude: float) -> None:
        self.behaviour, self.match_at = "match", (latitude, longitude)

    def answer_nothing(self) -> None:
        self.behaviour = "empty"

    def answer_rate_limited(self) -> None:
        self.behaviour = "429"

    def answer_slowly(self, seconds: float) -> None:
        self.behaviour, self.slow_seconds = "slow", seconds

    def start(self) -> "NominatimStandIn":
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path != "/search":
                    self.send_error(404)
                    return
                parameters = parse_qs(parts.query)
                query = parameters.get("q", [""])[0]
                stand_in.requests.append(parameters)
                stand_in.queries.append(query)
                stand_in.user_agents.append(self.headers.get("User-Agent", ""))
                behaviour = stand_in.behaviour
                if behaviour == "429":
                    self.send_error(429, "Too Many Requests")
                    return
                if behaviour == "slow":
                    time.sleep(stand_in.slow_seconds)
                results = []
                if behaviour in ("match", "slow"):
                    latitude, longitude = stand_in.match_at
                    results = [
                        {
                            "place_id": 1,
                            "lat": str(latitude),
                            "lon": str(longitude),
                            "display_name": query,
                            "class": "place",
                            "type": "house",
                            "importance": 0.5,
                            "boundingbox": [
                                str(latitude - 0.001),
                                str(latitude + 0.001),
                                str(longitude - 0.001),
                                str(longitude + 0.001),
                            ],
                        }
                    ]
                body = json.dumps(results).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timed-out client does

            def log_message(self, format, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listening socket: connections are refused until start() again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None
