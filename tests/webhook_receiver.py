"""A real HTTP server on 127.0.0.1 that receives webhooks for tests, keeping each request.

stop() makes deliveries fail as a receiver that is down would; start() brings it back on
the same port. `answer` is the status it replies with (a 500 is a receiver in trouble).
"""

import socket
from dataclasses import dataclass

from stand_in_server import QuietHandler, StandInServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebhookReceiver(StandInServer):
    def __init__(self):
        # A port of its own before the first start(), so a receiver that is down has a URL.
        super().__init__(port=_free_port())
        self.received: list[Received] = []
        self.answer = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/eventsite"

    def handler(self) -> type[QuietHandler]:
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if receiver.answer < 300:
                    receiver.received.append(Received(self.path, dict(self.headers), body))
                self.send_response(receiver.answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler
