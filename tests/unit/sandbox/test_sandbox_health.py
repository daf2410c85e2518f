"""The moto health probe reads nothing of moto's state: a busy or mid-multipart server is still a live server."""

from __future__ import annotations

import http.server
import json
import threading
from typing import Iterator

import pytest

from toolkit.sandbox.health import moto_healthy


def _server(routes: dict[str, tuple[int, bytes]]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            status, body = routes.get(self.path, (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


MOTO_CONFIG = (201, json.dumps({"batch": {"use_docker": True}, "lambda": {"use_docker": True}}).encode())


@pytest.fixture
def moto_mid_multipart() -> Iterator[str]:
    """Like moto 5 just after a multipart upload: data.json (which serialises every backend) fails with a 500."""
    yield from _server({"/moto-api/config": MOTO_CONFIG, "/moto-api/data.json": (500, b"<h1>Internal Server Error</h1>")})


@pytest.fixture
def not_moto() -> Iterator[str]:
    yield from _server({"/moto-api/data.json": (200, b"{}")})


def test_a_moto_whose_state_dump_fails_is_still_healthy(moto_mid_multipart: str) -> None:
    assert moto_healthy(moto_mid_multipart) is True


def test_another_server_on_the_port_is_not_moto(not_moto: str) -> None:
    assert moto_healthy(not_moto) is False


def test_nothing_listening_is_not_healthy() -> None:
    from toolkit.sandbox.process import free_port

    assert moto_healthy(f"http://127.0.0.1:{free_port()}", timeout=0.5) is False
