"""The HTTP half every stand-in server shares: a ThreadingHTTPServer on 127.0.0.1 served
from a daemon thread, which stop() closes (connections are refused) and start() brings
back on the same port. Each stand-in says how it answers in handler()."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test run's output free of access logs."""

    def log_message(self, format, *args):
        pass


class StandInServer:
    def __init__(self, port: int = 0):
        self.port = port  # 0: the first start() takes a free port and keeps it
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """The handler class that answers this stand-in's requests."""
        raise NotImplementedError

    def start(self) -> Self:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler())
        # A request still being answered (a deliberately slow reply) doesn't hold up stop().
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
