"""Fixtures for tests in a real headless Chromium at a phone's size.

`live_server` serves the app on 127.0.0.1 against this test's database; `phone` opens
pages in a 390x844 touch screen. Every page is watched: a console error (CSP violations
are reported there), an uncaught script error or a request leaving 127.0.0.1 fails the
test. Map tiles come from a stand-in host answered inside the browser.
"""

import base64
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import CHROMIUM
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
# Tiles from a host that cannot exist, answered by the browser fixture: no network.
TILE_URL = "https://tiles.invalid/{z}/{x}/{y}.png"
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# Generous waits: a busy CI machine is slow, and a wait only lasts until the page is ready.
expect.set_options(timeout=20_000)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass  # one line per request would bury pytest's report


@pytest.fixture
def live_server(make_app):
    """The app on a real threaded HTTP server; yields its base URL."""
    app = make_app(SERVER_NAME=None, MAP_TILE_URL=TILE_URL, MAP_ATTRIBUTION="Test tiles")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    # Wait for every request thread at close, so none still holds a database connection
    # when the test's database is emptied.
    server.daemon_threads = False
    server.block_on_close = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["PUBLIC_URL"]
    server.shutdown()
    thread.join()
    server.server_close()


@dataclass
class PageProblems:
    """What went wrong in the browser while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_resources: list[str] = field(default_factory=list)

    def console(self, message) -> None:
        # A form answered with 400 logs "Failed to load resource" too; that is the page
        # doing its job, so failed loads are judged by failed_resources instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed_resources.append(f"{response.status} {response.url}")


@pytest.fixture
def phone(browser, live_server):
    """Open a phone-sized browser: phone(javascript=True, locale='en-US', **context options).

    Returns a Page whose relative goto() paths go to the live server.
    """
    contexts = []
    problems = PageProblems()

    def route(request_route):
        url = request_route.request.url
        if url.startswith(live_server + "/"):
            request_route.continue_()
        elif url.startswith("https://tiles.invalid/"):
            request_route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        else:
            problems.foreign_requests.append(url)
            request_route.abort()

    def open_phone(javascript: bool = True, locale: str = "en-US", **options):
        context = browser.new_context(
            base_url=live_server, java_script_enabled=javascript, locale=locale, **PHONE, **options
        )
        contexts.append(context)
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", problems.console)
        page.on("response", problems.response)
        page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
        return page

    yield open_phone
    for context in contexts:
        context.close()
    assert problems.console_errors == [], "console errors (CSP violations show here)"
    assert problems.page_errors == [], "uncaught script errors"
    assert problems.foreign_requests == [], "requests that left the site"
    assert problems.failed_resources == [], "scripts, styles or images that failed to load"


def _accessibility_violations(page, impacts=("serious", "critical")) -> list[str]:
    # Evaluated through DevTools, not a <script> tag, so the page's CSP does not block it.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if impacts is None or violation["impact"] in impacts
    ]


@pytest.fixture
def assert_accessible():
    """assert_accessible(page): axe-core finds nothing serious or critical on the page."""

    def check(page) -> None:
        violations = _accessibility_violations(page)
        assert violations == [], f"{page.url}: " + "; ".join(violations)

    return check


@pytest.fixture
def assert_no_violations():
    """assert_no_violations(page): axe-core finds nothing at all, minor issues included."""

    def check(page) -> None:
        violations = _accessibility_violations(page, impacts=None)
        assert violations == [], f"{page.url}: " + "; ".join(violations)

    return check
