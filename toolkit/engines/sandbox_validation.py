"""SYSTEM$VALIDATE_STORAGE_INTEGRATION in the sandbox: the documented success answer when the role's trust (in sandbox
IAM) admits the integration's IAM user with its external id, the documented failure otherwise
(docs.snowflake.com/en/sql-reference/functions/system_validate_storage_integration), parsed like the real one."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.engines.validate_integration import Validation
    from toolkit.registration.desired import SnowflakeDesired


def _trust(role_arn: str) -> Any:
    from urllib.parse import unquote

    from botocore.exceptions import BotoCoreError, ClientError

    from toolkit.aws import aws_client

    try:
        trust = aws_client("iam").get_role(RoleName=role_arn.rsplit("/", 1)[-1])["Role"].get("AssumeRolePolicyDocument")
    except (ClientError, BotoCoreError):
        return None  # no role: Snowflake cannot assume it either
    return json.loads(unquote(trust)) if isinstance(trust, str) else trust


def validate_in_sandbox(desired: "SnowflakeDesired", identity: tuple[str, str]) -> "Validation":
    from toolkit.engines.validate_integration import parse_validation
    from toolkit.iam.trust_admits import admits

    user_arn, external_id = identity
    read = ({"status": "success"} if admits(_trust(desired.role_arn), user_arn, external_id) else
            {"message": "Access Denied (Status Code: 403; Error Code: AccessDenied)", "status": "failure"})
    answer = {"status": read["status"], "actions": {"READ": read}}
    return parse_validation(desired.integration, desired.stage_url, json.dumps(answer))
