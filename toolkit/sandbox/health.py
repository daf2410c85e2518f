"""Is the server on this port the one we started, and does it answer? Plain urllib: no SDK is imported."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


def _request(url: str, method: str = "GET", timeout: float = 2.0) -> tuple[int, bytes] | None:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, exc.read()
        except OSError:
            return exc.code, b""
    except (OSError, ValueError):
        return None


def moto_healthy(endpoint: str, timeout: float = 2.0) -> bool:
    """moto's own `GET /moto-api/config` answers its small user config (`{"batch": …, "lambda": …}`, status 201 in
    moto 5): proof that moto itself answers, without touching its backends.

    Not `/moto-api/data.json`: it serialises every backend, is slow on a big state, and answers 500 for a while
    after a multipart upload (moto 5.2), which made `sandbox up` restart a healthy server and lose its buckets.
    """
    answer = _request(f"{endpoint}/moto-api/config", timeout=timeout)
    if answer is None or answer[0] not in (200, 201):
        return False
    try:
        body = json.loads(answer[1] or b"null")
    except ValueError:
        return False
    return isinstance(body, dict) and "batch" in body


def fakesnow_healthy(endpoint: str, timeout: float = 2.0) -> bool:
    """fakesnow answers a session call without a token with Snowflake's error 390103 (no token): it is alive."""
    answer = _request(f"{endpoint}/session", method="POST", timeout=timeout)
    if answer is None:
        return False
    try:
        body = json.loads(answer[1] or b"null")
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("code") == "390103"


CHECKS = {"moto": moto_healthy, "fakesnow": fakesnow_healthy}


def healthy(service: str, endpoint: str, timeout: float = 2.0) -> bool:
    return CHECKS[service](endpoint, timeout)
