"""The Glue permissions of the identity that runs `fedkit apply` for a config with `glue:` (not the read role's).

Resources per the AWS Glue Developer Guide "Specifying AWS Glue resource ARNs" (docs.aws.amazon.com/glue/latest/dg/
glue-specifying-resource-arns.html): a table action needs the catalog, the database and the table; a database action
the catalog and the database; partitions are authorised on their table. So the statement names exactly the catalog,
the one database and that database's tables (`table/<db>/*`: the gold tables are discovered from S3, and `--prune`
deletes fedkit's own tables there), never `*`. DeleteTable is only used by `apply --prune` on fedkit-marked tables,
BatchUpdatePartition only by `apply --replace` (the partitions take the rewritten table's columns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.config import Config

SID_GLUE = "FedkitGlueCatalogRegistration"
GLUE_APPLY_ACTIONS = (
    "glue:GetDatabase", "glue:CreateDatabase",
    "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable",
    "glue:GetPartitions", "glue:BatchCreatePartition", "glue:BatchUpdatePartition",
)


def glue_apply_policy(config: "Config") -> dict[str, Any] | None:
    """The policy document, or None without a glue: section."""
    from toolkit.iam.policies import _statement, policy

    if config.glue is None or config.aws is None:
        return None
    account = config.glue.catalog_id or config.aws.account_id
    base = f"arn:aws:glue:{config.aws.region}:{account}"
    database = config.glue.database
    resources = [f"{base}:catalog", f"{base}:database/{database}", f"{base}:table/{database}/*"]
    return policy([_statement(SID_GLUE, list(GLUE_APPLY_ACTIONS), resources)])
