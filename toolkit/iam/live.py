"""The IAM documents as deployed: the live role's settings, trust and fedkit's inline policy, read through the same
observation `plan` uses (`RoleTarget.observe`: caller account checked, every page listed), for `iam generate
--from-live`. Reading only; the documents are shaped by `toolkit.iam.generate.live_documents` (pure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.config import LoadedConfig


def read_live_documents(loaded: "LoadedConfig", client_factory: Any = None) -> dict[str, dict[str, Any]]:
    """File name -> document as deployed. UsageError (exit 2) when there is nothing deployed to read yet."""
    from toolkit.iam import policies
    from toolkit.iam.generate import live_documents
    from toolkit.iam.role_target import RoleTarget
    from toolkit.planning.pipeline import Context

    aws = policies.require_aws(loaded.config)
    observed = RoleTarget().observe(Context(loaded=loaded, client_factory=client_factory))
    if not observed.exists:
        raise UsageError(f"role {aws.role_name} does not exist in AWS account {aws.account_id}: run `fedkit apply` "
                         "first (--from-live reads what apply deployed)")
    if observed.inline_policy is None:
        raise UsageError(f"role {aws.role_name} has no inline policy {policies.INLINE_POLICY_NAME}: run `fedkit apply` "
                         "first (--from-live reads what apply deployed)")
    return live_documents(loaded.config, observed)
