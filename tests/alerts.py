"""A stand-in for the PagerDuty Events API on 127.0.0.1 that records what it is sent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _EventRecorder(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.server.events.append(
            {"path": self.path, "user_agent": self.headers.get("User-Agent"), "body": body}
        )
        if self.server.status == 202:
            dedup_key = body.get("dedup_key", "generated-key")
            reply = {"status": "success", "message": "Event processed", "dedup_key": dedup_key}
        else:
            reply = {"status": "invalid event", "message": "Event object is invalid"}
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(reply).encode())

    def log_message(self, *args) -> None:
        """Keep the test output quiet."""


@contextmanager
def recording_alert_server() -> Iterator[ThreadingHTTPServer]:
    """A local HTTP server standing in for the PagerDuty Events API, while the block runs.

    `.events` holds the posts (path, User-Agent, JSON body); it answers as PagerDuty does,
    with HTTP `.status` (202 = accepted, with the event's dedup key; set 400 to reject).
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EventRecorder)
    server.events = []
    server.status = 202
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/v2/enqueue"
    yield server
    server.shutdown()
    server.server_close()
