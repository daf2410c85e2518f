"""botocore errors -> one-line CloudErrors naming the step, the AWS error code and, for AccessDenied, the permission."""

from __future__ import annotations

import re
from typing import Any, Callable, TypeVar

from toolkit.errors import CloudError

T = TypeVar("T")

ACCESS_DENIED_CODES = {"AccessDenied", "AccessDeniedException", "AuthorizationError", "UnauthorizedOperation"}
# Operations whose IAM permission is not simply "<service>:<OperationName>".
_PERMISSIONS = {
    ("s3", "GetBucketNotificationConfiguration"): "s3:GetBucketNotification",
    ("s3", "PutBucketNotificationConfiguration"): "s3:PutBucketNotification",
}
_PERFORM_RE = re.compile(r"not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)")


def required_permission(service: str, operation: str, message: str = "") -> str:
    """The IAM action a denied call needed: from AWS's message when it says, else from the operation name."""
    match = _PERFORM_RE.search(message or "")
    if match:
        return match.group(1)
    return _PERMISSIONS.get((service, operation), f"{service}:{operation}")


def error_code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str((response.get("Error") or {}).get("Code") or "") or None
    return None


def to_cloud_error(exc: BaseException, step: str, service: str) -> CloudError:
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    if isinstance(exc, ClientError):
        code = error_code(exc) or "Unknown"
        message = str((exc.response.get("Error") or {}).get("Message") or "").splitlines()[0:1]
        text = message[0] if message else ""
        rejected = _rejected_destinations(exc.response.get("Error") or {})
        if rejected:
            return CloudError(f"{step}: {code}: {rejected}")
        if code in ACCESS_DENIED_CODES:
            permission = required_permission(service, exc.operation_name, text)
            return CloudError(f"{step}: {code}: missing permission {permission} (grant it to the identity running fedkit)")
        return CloudError(f"{step}: {code}: {text}".rstrip(": "))
    if isinstance(exc, NoCredentialsError):
        from toolkit.errors import MissingCredentials

        # a set-up error like missing Google credentials or Snowflake connection: exit 2 alike (README exit codes)
        return MissingCredentials(
            f"{step}: no AWS credentials found (set AWS_PROFILE, or start the sandbox: fedkit sandbox up)")
    if isinstance(exc, BotoCoreError):
        return CloudError(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": "))
    raise exc


def _rejected_destinations(error: dict[str, Any]) -> str:
    """S3's rejection of a notification PUT names each destination it could not validate in ArgumentName<n> (its ARN)
    and ArgumentValue<n> (why); the Message alone says neither. One PUT carries every entry of the bucket, a
    foreign one included, and S3 validates all of them
    (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html). '' otherwise."""
    if "validate the following destination" not in str(error.get("Message", "")):
        return ""
    named = []
    for index in range(1, 11):
        arn = error.get(f"ArgumentName{index}")
        if not arn:
            break
        reason = str(error.get(f"ArgumentValue{index}") or "").splitlines()[:1]
        named.append(f"{str(arn).splitlines()[0]}" + (f" ({reason[0]})" if reason and reason[0] else ""))
    if not named:
        return ""
    return (f"S3 could not validate destination {'; '.join(named)}; S3 rejects the whole configuration when one "
            "destination fails (fedkit's entries included): fix that destination's access policy or remove its entry")


def call(step: str, service: str, fn: Callable[[], T]) -> T:
    """Run one AWS call; translate its failure into a CloudError for `step`."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return fn()
    except (ClientError, BotoCoreError) as exc:
        raise to_cloud_error(exc, step, service) from exc


def retry_propagation(
    step: str,
    service: str,
    fn: Callable[[], T],
    is_pending: Callable[[BaseException], bool],
    attempts: int,
    delay: float,
    sleep: Callable[[float], None],
) -> T:
    """Bounded retries while IAM is still propagating (`is_pending`); a clear timeout message when it never settles."""
    from botocore.exceptions import BotoCoreError, ClientError

    last: Any = None
    for attempt in range(max(1, attempts)):
        try:
            return fn()
        except (ClientError, BotoCoreError) as exc:
            if not is_pending(exc):
                raise to_cloud_error(exc, step, service) from exc
            last = exc
            if attempt + 1 < attempts:
                sleep(delay)
    code = error_code(last) or type(last).__name__
    # Keep AWS's reason: "Invalid principal" is also what a wrong (not merely new) principal ARN gives.
    reason = str((getattr(last, "response", {}).get("Error") or {}).get("Message") or "").splitlines()[:1]
    raise CloudError(
        f"{step}: still {code} after {attempts} attempts over ~{int(delay * max(0, attempts - 1))} s"
        f"{f' (AWS: {reason[0]})' if reason and reason[0] else ''}; IAM changes usually propagate within seconds "
        "but can take a minute: check the value, then rerun `fedkit apply` (it is safe to repeat)"
    )
