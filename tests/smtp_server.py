"""A real SMTP server (aiosmtpd) on 127.0.0.1 for tests, collecting what arrives.

stop() makes connections fail as a dead mail server's would; start() brings it back on
the same port. Recipients in `refuse` are turned away with a permanent 550.
"""

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpStandIn:
    def __init__(self):
        self.port = _free_port()
        self.received: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> "SmtpStandIn":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.received if message["To"] == address]
