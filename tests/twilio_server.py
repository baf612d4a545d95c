"""A stand-in of Twilio's Messages endpoint on 127.0.0.1 for tests:
POST /2010-04-01/Accounts/<sid>/Messages.json with Basic auth and To, From, Body.

Switch its behaviour between calls: take texts (201), answer 429 or 500, refuse a number
as Twilio does one that can't get texts (400, error 21211), or stop it altogether so
connections are refused; start() brings it back on the same port. Texts it took are in
`received`; every request, taken or not, in `requests`.
"""

import base64
import json
import threading
from urllib.parse import parse_qs

from stand_in_server import QuietHandler, StandInServer

ACCOUNT_SID = "AC00000000000000000000000000000000"
AUTH_TOKEN = "stand-in-auth-token"
FROM_NUMBER = "+12125550199"


class TwilioStandIn(StandInServer):
    def __init__(self):
        super().__init__()
        self.behaviour = "ok"
        self.invalid_numbers: set[str] = set()
        self.received: list[dict[str, str]] = []
        self.requests: list[dict[str, str]] = []
        self._lock = threading.Lock()

    @property
    def sms_url(self) -> str:
        """EVENTSITE_SMS_URL for this stand-in."""
        return f"twilio://{ACCOUNT_SID}:{AUTH_TOKEN}@{FROM_NUMBER}?api=http://127.0.0.1:{self.port}"

    def bodies_to(self, number: str) -> list[str]:
        return [text["Body"] for text in self.received if text["To"] == number]

    def _answer(self, form: dict[str, str], authorised: bool) -> tuple[int, dict]:
        if not authorised:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if self.behaviour == "429":
            return 429, {"code": 20429, "message": "Too Many Requests", "status": 429}
        if self.behaviour == "500":
            return 500, {"code": 20500, "message": "Internal Server Error", "status": 500}
        if form.get("To") in self.invalid_numbers:
            message = f"The 'To' number {form.get('To')} is not a valid phone number."
            return 400, {"code": 21211, "message": message, "status": 400}
        with self._lock:
            self.received.append(form)
            sid = f"SM{len(self.received):032d}"
        return 201, {"sid": sid, "status": "queued", "to": form.get("To"), "body": form["Body"]}

    def handler(self) -> type[QuietHandler]:
        stand_in = self
        expected_path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()

        class Handler(QuietHandler):
            def do_POST(self):
                if self.path != expected_path:
                    self.send_error(404)
                    return
                length = int(self.headers.get("Content-Length", "0"))
                fields = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                form = {key: values[0] for key, values in fields.items()}
                stand_in.requests.append(form)
                authorised = self.headers.get("Authorization") == expected_auth
                status, answer = stand_in._answer(form, authorised)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
