"""The Redshift Spectrum role as a pipeline target (aws_role phase): observe with boto3, plan with
`toolkit.iam.spectrum_plan`, apply with the read role's appliers (same IAM calls, same idempotent CreateRole).
Enabled only with a `redshift:` section and a Glue database; `--clouds aws` selects it with the read role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.errors import CloudError
from toolkit.iam import aws_engine_policies as aep
from toolkit.iam.observed import ObservedRole
from toolkit.iam.role_target import RoleTarget, observe_role
from toolkit.iam.spectrum_plan import plan_spectrum_role

if TYPE_CHECKING:
    from toolkit.planning.actions import Action
    from toolkit.planning.pipeline import Context


class SpectrumRoleTarget(RoleTarget):
    name = "spectrum_role"
    cloud = "aws"
    phases = ("aws_role",)

    def enabled(self, ctx: "Context") -> bool:
        return aep.spectrum_enabled(ctx.config)

    def observe(self, ctx: "Context") -> ObservedRole:
        return observe_role(ctx.client("iam"), aep.spectrum_role_name(ctx.config), aep.SPECTRUM_INLINE_POLICY)

    def plan(self, ctx: "Context", observed: ObservedRole) -> list["Action"]:
        return plan_spectrum_role(ctx.config, observed)

    def predict(self, ctx: "Context", observed: ObservedRole, planned: list["Action"]) -> list["Action"]:
        return []

    def warnings(self, ctx: "Context", observed: ObservedRole) -> list[str]:
        extra = [*(f"inline policy {n}" for n in observed.other_inline_policies),
                 *(f"attached policy {arn}" for arn in observed.attached_policies)]
        if not extra:
            return []
        return [f"role {aep.spectrum_role_name(ctx.config)} also carries {', '.join(extra)} (not managed by fedkit): "
                "Redshift Spectrum gets those permissions too; remove them unless they are meant"]

    def settle(self, ctx: "Context") -> None:
        """Wait (bounded) until IAM shows the role with its trust, before the external schema names it."""
        from toolkit.iam.merge import merge_statements

        wanted = aep.spectrum_trust_statements(ctx.config)
        for _ in range(max(1, ctx.propagation_attempts)):
            observed = self.observe(ctx)
            if observed.exists and not merge_statements(observed.trust, wanted).changed:
                return
            ctx.sleep(ctx.propagation_delay)
        raise CloudError(f"wait for iam_role/{aep.spectrum_role_name(ctx.config)}: the role or its trust is not "
                         f"visible after {ctx.propagation_attempts} checks; rerun `fedkit apply`")
