"""Page quality on a phone: Lighthouse's mobile scores and the bytes each main page transfers.

    python -m bench.lighthouse [--npm-dir DIR] [--output FILE.json] [--screenshots DIR]

Installs Lighthouse with npm into a cache folder the first time, serves the app with demo
data on 127.0.0.1 (a throwaway SQLite database), and runs Lighthouse's default mobile
configuration (a mid-range phone on a throttled slow-4G link) with Debian's Chromium
against the home, results, event, RSVP-confirmation, campaign and host pages. Map tiles
are blocked and point nowhere: the page weight is the site's own. Targets: accessibility
100, the rest at least 95, the results page under 60 KB transferred.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

LIGHTHOUSE_VERSION = "12"
DEFAULT_NPM_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "eventsite"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# A tile host that cannot resolve, and blocked besides: tiles are not the site's weight.
TILE_URL = "https://tiles.invalid/{z}/{x}/{y}.png"
RESULTS_DIR = Path(__file__).parent / "results"
TARGETS = {"accessibility": 100, "performance": 95, "best-practices": 95, "seo": 95}
RESULTS_PAGE_LIMIT_BYTES = 60 * 1024
# A private link's page tells search engines to stay away (noindex), which Lighthouse's
# SEO category scores down; that is the point of it, so SEO is no target there.
NOINDEX_PAGES = {"rsvp-confirmation"}


def lighthouse_command(npm_dir: Path) -> list[str]:
    """The lighthouse CLI, installed with npm into npm_dir when it is not there yet."""
    binary = npm_dir / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm is needed to install Lighthouse (apt-get install -y npm).")
        npm_dir.mkdir(parents=True, exist_ok=True)
        print(f"Installing Lighthouse {LIGHTHOUSE_VERSION} into {npm_dir} ...", flush=True)
        subprocess.run(
            [npm, "install", "--prefix", str(npm_dir), "--no-audit", "--no-fund",
             f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )  # fmt: skip
    return [str(binary)]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def build_site(folder: str):
    """An app on a fresh SQLite database with demo events; returns (app, page paths)."""
    from flask_migrate import upgrade

    from eventsite import create_app
    from eventsite.demo import load_demo_data
    from eventsite.extensions import db
    from eventsite.models import utcnow

    app = create_app(
        {
            "SECRET_KEY": "lighthouse-run-only",
            "PUBLIC_URL": "http://127.0.0.1",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/lighthouse.sqlite3",
            "MAP_TILE_URL": TILE_URL,
            "RATELIMIT_ENABLED": False,
            "GEOCODER": "offline",  # no network: demo events already have coordinates
        }
    )
    with app.app_context():
        upgrade()
        load_demo_data(300, utcnow().date())
        db.session.remove()
    return app, _page_paths(app)


def _page_paths(app) -> dict[str, str]:
    """The six pages, found by using the site as a visitor would."""
    client = app.test_client()
    results = client.get("/events?zip=10001").get_data(as_text=True)
    event_path = re.search(r'href="(/events/\d+)"', results).group(1)
    event_page = client.get(event_path).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', event_page).group(1)
    answer = client.post(
        f"{event_path}/rsvp",
        data={"name": "Page Check", "email": "check@example.org", "zip_code": "10001",
              "guests": "0", "csrf_token": csrf},
    )  # fmt: skip
    confirmation_path = answer.headers["Location"]
    with app.app_context():
        from sqlalchemy import select

        from eventsite.extensions import db
        from eventsite.models import Campaign

        campaign_slug = db.session.scalar(select(Campaign.slug).order_by(Campaign.id))
    return {
        "home": "/",
        "results": "/events?zip=10001",
        "event": event_path,
        "rsvp-confirmation": confirmation_path,
        "campaign": f"/c/{campaign_slug}",
        "host": "/events/new",
    }


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_lighthouse(command: list[str], url: str) -> dict:
    """Lighthouse's JSON report for one page (mobile is its default configuration)."""
    completed = subprocess.run(
        [
            *command,
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--blocked-url-patterns=https://tiles.invalid/*",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": CHROME_PATH},
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout)


def bytes_with_map_shown(url: str) -> int | None:
    """What a phone transfers for the page once its map is shown and loaded.

    Lighthouse does not tap, and the results page loads Leaflet only when the person taps
    "Show map"; this measures the page with the map, tiles still blocked.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # the [test] extra is not installed
        return None
    sizes = []

    def finished(request):
        measured = request.sizes()
        sizes.append(measured["responseBodySize"] + measured["responseHeadersSize"])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROME_PATH, args=CHROME_FLAGS.replace("=new", "").split()
        )
        context = browser.new_context(
            viewport={"width": 412, "height": 823}, device_scale_factor=1.75, is_mobile=True
        )
        context.route("https://tiles.invalid/**", lambda route: route.abort())
        page = context.new_page()
        page.on("requestfinished", finished)
        page.goto(url, wait_until="networkidle")
        page.get_by_role("button", name="Show map").click()
        page.locator(".leaflet-marker-icon").first.wait_for()
        page.wait_for_load_state("networkidle")
        browser.close()
    return sum(sizes)


def take_screenshots(base: str, paths: dict[str, str], folder: Path) -> list[Path]:
    """Two pictures per page on a 390x844 phone: the first screen, and the whole page."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROME_PATH, args=CHROME_FLAGS.replace("=new", "").split()
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True
        )
        context.route("https://tiles.invalid/**", lambda route: route.abort())
        page = context.new_page()
        for name, path in paths.items():
            page.goto(base + path, wait_until="networkidle")
            for part, full_page in (("first-screen", False), ("whole-page", True)):
                taken.append(folder / f"{name}-{part}.jpg")
                page.screenshot(path=taken[-1], full_page=full_page, type="jpeg", quality=70)
        browser.close()
    return taken


def summarise(name: str, path: str, report: dict) -> dict:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "page": name,
        "path": path,
        "scores": {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "transferred_bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "failed_audits": sorted(
            audit_id
            for category in CATEGORIES
            for ref in report["categories"][category]["auditRefs"]
            if ref["weight"] > 0
            and (audit_id := ref["id"])
            and audits[audit_id]["score"] is not None
            and audits[audit_id]["score"] < 1
        ),
    }


def misses(row: dict) -> list[str]:
    found = [
        f"{category} {row['scores'][category]} < {target}"
        for category, target in TARGETS.items()
        if row["scores"][category] < target
        and not (category == "seo" and row["page"] in NOINDEX_PAGES)
    ]
    if row["page"] == "results":
        for key in ("transferred_bytes", "transferred_bytes_with_map"):
            if row.get(key, 0) >= RESULTS_PAGE_LIMIT_BYTES:
                found.append(f"{key} {row[key]} >= {RESULTS_PAGE_LIMIT_BYTES}")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--npm-dir", type=Path, default=DEFAULT_NPM_DIR / "lighthouse")
    parser.add_argument("--output", type=Path, help="where to write the JSON summary")
    parser.add_argument("--screenshots", type=Path, help="a folder for two pictures per page")
    args = parser.parse_args(argv)
    if not os.path.exists(CHROME_PATH):
        sys.exit(f"No Chromium at {CHROME_PATH}: apt-get install -y chromium, or set CHROME_PATH.")
    command = lighthouse_command(args.npm_dir)

    with tempfile.TemporaryDirectory() as folder:
        app, paths = build_site(folder)
        server = serve(app)
        base = f"http://127.0.0.1:{server.server_port}"
        rows, lighthouse_version = [], "unknown"
        try:
            for name, path in paths.items():
                report = run_lighthouse(command, base + path)
                lighthouse_version = report["lighthouseVersion"]
                rows.append(summarise(name, path, report))
                row = rows[-1]
                scores = "  ".join(f"{c} {row['scores'][c]:3d}" for c in CATEGORIES)
                note = "  (noindex on purpose)" if name in NOINDEX_PAGES else ""
                print(
                    f"{name:18} {scores}  {row['transferred_bytes'] / 1024:5.1f} KB "
                    f"in {row['requests']} requests{note}",
                    flush=True,
                )
            with_map = bytes_with_map_shown(base + paths["results"])
            if with_map is not None:
                print(f"results, map shown and loaded: {with_map / 1024:.1f} KB")
                next(row for row in rows if row["page"] == "results")[
                    "transferred_bytes_with_map"
                ] = with_map
            if args.screenshots:
                for picture in take_screenshots(base, paths, args.screenshots):
                    print(f"screenshot: {picture}")
        finally:
            server.shutdown()

    for row in rows:
        for miss in misses(row):
            print(f"  below target: {row['page']}: {miss} (failing audits: "
                  f"{', '.join(row['failed_audits']) or 'none'})")  # fmt: skip
    output = args.output or RESULTS_DIR / (
        "lighthouse-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + ".json"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "lighthouse": lighthouse_version,
                "form_factor": "mobile",
                "pages": rows,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"Wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
