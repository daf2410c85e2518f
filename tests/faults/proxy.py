"""A fault-injection HTTP proxy on 127.0.0.1 between the AWS SDKs (boto3, pyarrow's S3) and the moto server.

Point `AWS_ENDPOINT_URL` at `proxy.endpoint`; every request is forwarded to moto unless a rule matches it. A rule
names an AWS action (or a prefix ending in `*`) and a fault and fails the first `times` matching calls:

    with FaultProxy(moto_endpoint) as proxy:
        proxy.fail("iam:CreateRole", "lost")             # moto creates the role, the answer never arrives
        proxy.fail("s3:GetObject", "throttle", times=2)

Actions are named like the AWS API reference, `service:Action`: the query protocol (IAM, STS, SNS) carries
`Action=` in the form body, the JSON protocol (SQS) an `X-Amz-Target` header, and S3's REST API is told apart by
method, path and sub-resource (`PUT /bucket?notification` is PutBucketNotificationConfiguration). The service comes
from the SigV4 credential scope of the `Authorization` header.

Faults: throttle (IAM/STS/SNS 400 `Throttling`, S3 503 `SlowDown`), slowdown (503 `SlowDown`/`ServiceUnavailable`),
denied (403 `AccessDenied`), drop (close the socket without forwarding), lost (forward to moto, then close the
socket without answering: the effect happened, the answer is lost) and slow (forward, then answer after `delay`
seconds, beyond the client's read timeout).

Bounded: the proxy stops by itself after `lifetime` seconds, its threads are daemons, and a slow answer wakes up
as soon as the proxy stops. Test code only.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAULTS = ("throttle", "slowdown", "denied", "drop", "lost", "slow")
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
               "content-length"}
_SCOPE_RE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
# S3 sub-resources that name the bucket-level operation (the S3 API reference's "?notification" etc.).
_S3_SUBRESOURCES = {
    "notification": "BucketNotificationConfiguration", "location": "BucketLocation", "tagging": "BucketTagging",
    "policy": "BucketPolicy", "versioning": "BucketVersioning", "acl": "BucketAcl", "cors": "BucketCors",
}


@dataclass
class Rule:
    action: str  # "CreateRole", "iam:CreateRole", or a prefix ending in "*" ("http:*": every unsigned request)
    fault: str
    times: int = 1
    delay: float = 5.0
    hits: int = 0

    def matches(self, action: str) -> bool:
        if self.hits >= self.times:
            return False
        if self.action.endswith("*"):
            return action.startswith(self.action[:-1])
        return self.action == action or self.action == action.split(":", 1)[1]


@dataclass
class Seen:
    action: str
    fault: str | None
    at: float = field(default_factory=time.monotonic)


def s3_action(method: str, path: str, query: str) -> str:
    """The S3 API operation of a path-style REST request."""
    parts = [p for p in path.split("/") if p]
    params = parse_qs(query, keep_blank_values=True)
    if not parts:
        return "ListBuckets"
    if len(parts) == 1:
        for key, suffix in _S3_SUBRESOURCES.items():
            if key in params:
                verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete"}.get(method, method.title())
                return verb + suffix
        if "delete" in params:
            return "DeleteObjects"
        if "uploads" in params:
            return "ListMultipartUploads"
        return {"GET": "ListObjectsV2" if params.get("list-type") == ["2"] else "ListObjects", "PUT": "CreateBucket",
                "HEAD": "HeadBucket", "DELETE": "DeleteBucket"}.get(method, method)
    if "uploads" in params:
        return "CreateMultipartUpload"
    if "uploadId" in params:
        return {"PUT": "UploadPart", "POST": "CompleteMultipartUpload", "DELETE": "AbortMultipartUpload"}.get(
            method, "ListParts")
    return {"GET": "GetObject", "PUT": "PutObject", "HEAD": "HeadObject", "DELETE": "DeleteObject"}.get(method, method)


def request_action(method: str, target: str, headers: Any, body: bytes) -> str:
    """`service:Action` of one request (service from the SigV4 scope); `http:<path>` when it is not AWS-signed
    (the Snowflake connector talking to fakesnow: `http:/queries/v1/query-request`)."""
    scope = _SCOPE_RE.search(headers.get("Authorization", "") or "")
    url = urlsplit(target)
    if scope is None:
        return f"http:{url.path}"
    service = scope.group(1)
    if service == "s3":
        return f"s3:{s3_action(method, url.path, url.query)}"
    amz_target = headers.get("X-Amz-Target")
    if amz_target:
        return f"{service}:{amz_target.rsplit('.', 1)[-1]}"
    form = parse_qs(body.decode("utf-8", "replace")) if body else parse_qs(url.query)
    return f"{service}:{(form.get('Action') or ['?'])[0]}"


def error_answer(service: str, fault: str, action: str) -> tuple[int, str, bytes]:
    """(status, content type, body) as the service would answer the fault."""
    name = action.split(":", 1)[1]
    if fault == "denied":
        status, code = 403, "AccessDenied"
        message = (f"User: arn:aws:iam::123456789012:user/fedkit is not authorized to perform: {service}:{name} "
                   "on resource: fault-proxy")
    elif fault == "throttle" and service != "s3":
        status, code, message = 400, "Throttling", "Rate exceeded"
    else:
        status, code, message = 503, ("SlowDown" if service == "s3" else "ServiceUnavailable"), "Please reduce your request rate."
    if service == "s3":
        body = f"<Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault</RequestId></Error>"
        return status, "application/xml", body.encode()
    if service == "sqs":
        return status, "application/x-amz-json-1.0", (f'{{"__type":"{code}","message":"{message}"}}').encode()
    body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>fault</RequestId></ErrorResponse>")
    return status, "text/xml", body.encode()


class FaultProxy:
    """Forward to `upstream` (http://host:port), injecting the faults of the rules added with `fail`."""

    def __init__(self, upstream: str, lifetime: float = 120.0, upstream_timeout: float = 30.0):
        parsed = urlsplit(upstream)
        self.upstream = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self.lifetime = lifetime
        self.upstream_timeout = upstream_timeout
        self.rules: list[Rule] = []
        self.seen: list[Seen] = []
        self.hooks: list[tuple[str, Any]] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    # -- rules ------------------------------------------------------------------------------------------------------
    def fail(self, action: str, fault: str, times: int = 1, delay: float = 5.0) -> Rule:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        rule = Rule(action, fault, times, delay)
        with self._lock:
            self.rules.append(rule)
        return rule

    def on(self, action: str, callback: Any) -> None:
        """Call `callback()` once, when `action` is first seen, before it is forwarded (e.g. take another server
        down at a chosen point of a run: deterministic, unlike sleeping and hoping)."""
        with self._lock:
            self.hooks.append((action, callback))

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.seen.clear()
            self.hooks.clear()

    def actions(self, fault: str | None = "any") -> list[str]:
        """Actions seen, in order (only those hit by `fault` when given; "any": all)."""
        with self._lock:
            return [s.action for s in self.seen if fault == "any" or s.fault == fault]

    def _choose(self, action: str) -> Rule | None:
        with self._lock:
            due = [hook for hook in self.hooks if Rule(hook[0], "drop", 1).matches(action)]
            self.hooks = [hook for hook in self.hooks if hook not in due]
        for _, callback in due:
            callback()
        with self._lock:
            rule = next((r for r in self.rules if r.matches(action)), None)
            if rule is not None:
                rule.hits += 1
            self.seen.append(Seen(action, rule.fault if rule else None))
            return rule

    # -- life cycle -------------------------------------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        assert self._server is not None, "proxy not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FaultProxy":
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        serve = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                 name="fault-proxy", daemon=True)
        serve.start()
        # Bounded: whatever the test does, the proxy goes away after `lifetime` seconds.
        guard = threading.Thread(target=lambda: self._stopped.wait(self.lifetime) or self.stop(),
                                 name="fault-proxy-guard", daemon=True)
        guard.start()
        self._threads = [serve, guard]
        return self

    def stop(self) -> None:
        if self._stopped.is_set() and self._server is None:
            return
        self._stopped.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"  # keep-alive, like the SDKs' connection pools expect

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet: pytest output stays readable
        pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._body()
        action = request_action(self.command, self.path, self.headers, body)
        rule = self.owner._choose(action)
        fault = rule.fault if rule else None
        if fault in ("throttle", "slowdown", "denied"):
            status, content_type, payload = error_answer(action.split(":", 1)[0], fault, action)
            self._answer(status, [("Content-Type", content_type)], payload)
            return
        if fault == "drop":
            self._hang_up()
            return
        status, headers, payload = self._forward(body)
        if fault == "lost":
            self._hang_up()
            return
        if fault == "slow" and self.owner._stopped.wait(rule.delay):
            self._hang_up()
            return
        self._answer(status, headers, payload)

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(*self.owner.upstream, timeout=self.owner.upstream_timeout)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            if body or self.command in ("PUT", "POST"):
                headers["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            if self.command == "HEAD" and response.getheader("Content-Length") is not None:
                kept.append(("Content-Length", response.getheader("Content-Length")))  # the object's size
            return response.status, kept, payload
        finally:
            connection.close()

    def _answer(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
        self.send_response_only(status)
        for key, value in headers:
            self.send_header(key, value)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        self.wfile.flush()

    def _hang_up(self) -> None:
        """Close the connection without a byte of answer (a reset, as a dead load balancer would)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle()

    do_PUT = do_POST = do_HEAD = do_DELETE = do_GET
