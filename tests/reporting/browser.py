"""Headless Debian chromium driven by Playwright, and a static HTTP server, for tests that
open the pages the project builds (the `kedro viz build` site) as a user's browser would.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")

# The machine's network is closed: without the background-networking flags Chromium
# keeps trying to reach Google's services and fills the log with refused connections.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-quic",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> Path:
    """Debian's chromium binary, or an error that says how to get it."""
    found = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        raise RuntimeError(
            f"{CHROMIUM} not found: install Debian's chromium package; .ci/run does "
            "(apt-get install chromium). Playwright's downloaded browsers are not used."
        )
    return Path(found)


@contextmanager
def chromium_page(
    allowed_origin: str | None = None, viewport: tuple[int, int] = (1600, 1000)
) -> Iterator[Page]:
    """A Playwright page in headless Debian chromium with an empty profile.

    Args:
        allowed_origin: When given (e.g. `http://127.0.0.1:8000`), requests elsewhere
            (web fonts, analytics) are aborted at once instead of waiting on the closed
            network.
        viewport: The window's width and height in pixels.
    """
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with (
        tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=profile,
            executable_path=str(executable),
            args=list(CHROMIUM_ARGS),
            headless=True,
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        try:
            if allowed_origin:
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(f"{allowed_origin}/")
                        else route.abort()
                    ),
                )
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        """Keep the test output to the test's own: no line per request."""


@contextmanager
def static_server(root: Path) -> Iterator[str]:
    """Serve `root` over HTTP on 127.0.0.1 (an ephemeral port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
