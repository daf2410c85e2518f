"""The IAM role as a pipeline target: observe it (boto3), plan with `toolkit.iam.plan.plan_role`, apply actions."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from toolkit.errors import CloudError, UsageError
from toolkit.iam import policies
from toolkit.iam.aws_errors import call, error_code, retry_propagation, to_cloud_error
from toolkit.iam.observed import ObservedRole
from toolkit.iam.paging import every_item
from toolkit.iam.plan import plan_role, role_warnings
from toolkit.planning.actions import Action

if TYPE_CHECKING:
    from pathlib import Path

    from toolkit.planning.pipeline import Context


def _document(value: Any) -> dict[str, Any] | None:
    """boto3 decodes policy documents to dicts; some endpoints hand back (URL-decoded) JSON text."""
    if value is None or isinstance(value, dict):
        return value
    from urllib.parse import unquote

    text = str(value)
    return json.loads(unquote(text) if text.startswith("%7B") else text)


def observe_role(iam, name: str, inline_name: str) -> ObservedRole:
    """The role, its tags and fedkit's inline policy `inline_name` (others listed by name only)."""
    from botocore.exceptions import BotoCoreError, ClientError

    step = f"observe iam_role/{name}"
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except ClientError as exc:
        if error_code(exc) == "NoSuchEntity":
            return ObservedRole(exists=False)
        raise to_cloud_error(exc, step, "iam") from exc
    except BotoCoreError as exc:
        raise to_cloud_error(exc, step, "iam") from exc
    tags = every_item(step, "iam", iam, "list_role_tags", "Tags", RoleName=name)
    inline_names = every_item(step, "iam", iam, "list_role_policies", "PolicyNames", RoleName=name)
    attached = every_item(step, "iam", iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name)
    inline = None
    if inline_name in inline_names:
        inline = _document(call(step, "iam", lambda: iam.get_role_policy(
            RoleName=name, PolicyName=inline_name)["PolicyDocument"]))
    return ObservedRole(
        exists=True, arn=role.get("Arn"), trust=_document(role.get("AssumeRolePolicyDocument")),
        max_session_duration=role.get("MaxSessionDuration"), description=role.get("Description"),
        tags={t["Key"]: t["Value"] for t in tags}, inline_policy=inline,
        other_inline_policies=tuple(n for n in inline_names if n != inline_name),
        attached_policies=tuple(p.get("PolicyArn", "") for p in attached),
    )


def _pending(exc: BaseException) -> bool:
    """IAM not yet consistent: the new role is not visible, or a just-created principal is not yet valid."""
    code = error_code(exc)
    message = str(getattr(exc, "response", {}).get("Error", {}).get("Message", ""))
    return code == "NoSuchEntity" or (code == "MalformedPolicyDocument" and "Invalid principal" in message)


def _create_role(iam: Any, p: dict[str, Any], step: str) -> None:
    """CreateRole, where EntityAlreadyExists on a role tagged managed-by=fedkit means done.

    botocore resends a call whose answer was lost (a dropped connection, a read timeout), and the resent CreateRole
    then meets the role the first one created; another fedkit run may also have created it since we read. A role
    without fedkit's tag is someone else's: taking it over midway would rewrite its trust, so the apply stops.
    """
    from botocore.exceptions import ClientError

    try:
        iam.create_role(
            RoleName=p["RoleName"], Path=p["Path"], Description=p["Description"],
            MaxSessionDuration=p["MaxSessionDuration"], Tags=p["Tags"],
            AssumeRolePolicyDocument=json.dumps(p["AssumeRolePolicyDocument"]),
        )
        return
    except ClientError as exc:
        if error_code(exc) != "EntityAlreadyExists":
            raise
    tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=p["RoleName"]).get("Tags", [])}
    key, value = policies.MANAGED_TAG["Key"], policies.MANAGED_TAG["Value"]
    if tags.get(key) == value:
        return
    raise CloudError(
        f"{step}: EntityAlreadyExists: role {p['RoleName']} was created by someone else after fedkit read it and is "
        f"not fedkit's (no tag {key}={value}); nothing was changed on it: check who owns it, then rerun "
        "`fedkit plan` to see what fedkit would change"
    )


def account_mismatch_message(account: str, wanted: str, config_path: "Path", sandbox: bool) -> str:
    """Why the role cannot be planned in this account, and the fix (pure)."""
    if sandbox:
        return (f"the sandbox answers as AWS account {account}, but aws.account_id is {wanted}; restart it for this "
                f"config: `fedkit sandbox down && fedkit --config {config_path} sandbox up`")
    return (f"the AWS credentials in use belong to account {account}, but aws.account_id is {wanted}; "
            "use credentials for that account (AWS_PROFILE) or fix the config")


def sandbox_mode() -> bool:
    from toolkit.sandbox.state import mode

    return mode() == "sandbox"


class RoleTarget:
    name = "aws_role"
    cloud = "aws"
    phases = ("aws_role", "trust_tighten")

    def enabled(self, ctx: "Context") -> bool:
        return ctx.config.aws is not None

    def observe(self, ctx: "Context") -> ObservedRole:
        aws = policies.require_aws(ctx.config)
        name = aws.role_name
        iam = ctx.client("iam")
        account = call("observe caller account (sts:GetCallerIdentity)", "sts",
                       lambda: ctx.client("sts").get_caller_identity()["Account"])
        if account != aws.account_id:
            # The config and the credentials disagree on where the role lives: a set-up error (exit 2), and no
            # call has changed anything yet.
            raise UsageError(account_mismatch_message(account, aws.account_id, ctx.loaded.path, sandbox_mode()))
        google_oidc, audiences = self._google_oidc_provider(ctx) if ctx.config.bigquery is not None else (None, ())
        from toolkit.iam.bucket_region import observe_bucket_region

        bucket_region = observe_bucket_region(ctx.client("s3"), ctx.config.gold.bucket)
        observed = observe_role(iam, name, policies.INLINE_POLICY_NAME)
        return replace(observed, google_oidc_provider=google_oidc, google_oidc_audiences=audiences,
                       bucket_region=bucket_region)

    def _google_oidc_provider(self, ctx: "Context") -> tuple[str | None, tuple[str, ...]]:
        """The account's own IAM OIDC provider for accounts.google.com and its audiences, if it has one: it changes
        how Google tokens are trusted (DESIGN §5).

        ListOpenIDConnectProviders has no paging parameters: it returns every provider of the account at once
        (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviders.html)."""
        iam = ctx.client("iam")
        providers = call("observe IAM OIDC providers", "iam",
                         lambda: iam.list_open_id_connect_providers().get("OpenIDConnectProviderList", []))
        arn = next((p["Arn"] for p in providers if p.get("Arn", "").endswith(":oidc-provider/accounts.google.com")), None)
        if arn is None:
            return None, ()
        provider = call("observe IAM OIDC provider accounts.google.com", "iam",
                        lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn))
        return arn, tuple(provider.get("ClientIDList", []))

    def plan(self, ctx: "Context", observed: ObservedRole) -> list[Action]:
        return plan_role(ctx.config, ctx.identities, observed)

    def predict(self, ctx: "Context", observed: ObservedRole, planned: list[Action]) -> list[Action]:
        """`fedkit plan`: the trust_tighten step of this run, against the role as `planned` leaves it and with the
        identities of engines created in this run as "known after ..." (toolkit.iam.predicted)."""
        from toolkit.iam.predicted import mark_predicted, pending_identities, role_after

        identities = pending_identities(ctx.identities, ctx.changes)
        if identities is None:
            return []
        return mark_predicted(plan_role(ctx.config, identities, role_after(observed, planned)))

    def warnings(self, ctx: "Context", observed: ObservedRole) -> list[str]:
        return role_warnings(ctx.config, observed)

    def apply(self, ctx: "Context", action: Action) -> None:
        iam = ctx.client("iam")
        p = action.payload
        step = f"{action.action} {action.resource}"
        op = p["op"]
        if op == "create_role":
            fn = lambda: _create_role(iam, p, step)  # noqa: E731
        elif op == "put_role_policy":
            fn = lambda: iam.put_role_policy(  # noqa: E731
                RoleName=p["RoleName"], PolicyName=p["PolicyName"], PolicyDocument=json.dumps(p["PolicyDocument"]))
        elif op == "update_assume_role_policy":
            fn = lambda: iam.update_assume_role_policy(  # noqa: E731
                RoleName=p["RoleName"], PolicyDocument=json.dumps(p["PolicyDocument"]))
        elif op == "update_role":
            fn = lambda: iam.update_role(  # noqa: E731
                RoleName=p["RoleName"], Description=p["Description"], MaxSessionDuration=p["MaxSessionDuration"])
        elif op == "add_client_id_to_open_id_connect_provider":
            fn = lambda: iam.add_client_id_to_open_id_connect_provider(  # noqa: E731
                OpenIDConnectProviderArn=p["OpenIDConnectProviderArn"], ClientID=p["ClientID"])
        elif op == "tag_role":
            fn = lambda: iam.tag_role(RoleName=p["RoleName"], Tags=p["Tags"])  # noqa: E731
        else:
            raise CloudError(f"{step}: unknown operation {op!r} (a bug in fedkit)")
        retry_propagation(step, "iam", fn, _pending, ctx.propagation_attempts, ctx.propagation_delay, ctx.sleep)

    def settle(self, ctx: "Context") -> None:
        """Wait until IAM shows the role with the trust we planned (bounded), before engines rely on it."""
        from toolkit.iam.merge import merge_statements

        name = policies.require_aws(ctx.config).role_name
        wanted = policies.trust_statements(ctx.config, ctx.identities)
        for _ in range(max(1, ctx.propagation_attempts)):
            observed = self.observe(ctx)
            if observed.exists and not merge_statements(observed.trust, wanted).changed:
                return
            ctx.sleep(ctx.propagation_delay)
        raise CloudError(
            f"wait for iam_role/{name}: the role or its trust policy is not visible after {ctx.propagation_attempts} "
            "checks; IAM changes usually propagate within seconds but can take a minute: rerun `fedkit apply`"
        )
