"""Run the workbench in a thread on a free port and drive Debian's Chromium through Playwright.

Playwright's own browser download is not used: the tests launch the system Chromium at
CHROMIUM (override with the FRIKOMMUNE_CHROMIUM environment variable).
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = os.environ.get("FRIKOMMUNE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set FRIKOMMUNE_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


@contextmanager
def workbench(out: Path, reviewer: str | None = None) -> Iterator[str]:
    """The workbench over `out`, served from a background thread; yields its base URL."""
    from werkzeug.serving import make_server

    from pipeline.review.app import create_app, quiet_handler

    app = create_app(out, reviewer=reviewer)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=quiet_handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def browser_page(width: int = 1280, height: int = 800):
    """A fresh page in headless Chromium; JavaScript errors on the page fail loudly."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.js_errors = errors
            yield page
        finally:
            browser.close()
