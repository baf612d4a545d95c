"""A stand-in Nominatim server on 127.0.0.1 for tests: GET /search?q=...&format=json&limit=1.

Switch its behaviour between calls: answer with a match at given coordinates, an empty
list, HTTP 429, a reply slower than the client's timeout, or stop it altogether so
connections are refused; start() brings it back on the same port.
"""

import json
import time
from urllib.parse import parse_qs, urlsplit

from stand_in_server import QuietHandler, StandInServer


class NominatimStandIn(StandInServer):
    def __init__(self):
        super().__init__()
        self.behaviour = "match"
        self.match_at = (40.7359, -73.9911)
        self.slow_seconds = 2.0
        self.queries: list[str] = []
        self.requests: list[dict[str, list[str]]] = []  # every request's parameters
        self.user_agents: list[str] = []

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

    def handler(self) -> type[QuietHandler]:
        stand_in = self

        class Handler(QuietHandler):
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

        return Handler
