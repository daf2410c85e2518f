"""The IAM propagation waiter (`RoleTarget.settle`): returns once IAM shows the planned trust, bounded otherwise."""

from __future__ import annotations

import pytest

from toolkit.config import Config, LoadedConfig
from toolkit.errors import CloudError
from toolkit.iam import policies
from toolkit.iam.observed import ObservedRole
from toolkit.iam.role_target import RoleTarget
from toolkit.planning.actions import Action
from toolkit.planning.pipeline import ApplyFailed, Context, apply_all

CONFIG = Config.model_validate({
    "gold": {"bucket": "acme-gold"},
    "aws": {"account_id": "111122223333", "region": "us-east-1", "role_name": "reader"},
    "bigquery": {"project": "acme-proj"},
})


def context(sleeps: list[float], attempts: int = 4) -> Context:
    return Context(loaded=LoadedConfig(CONFIG, path=__file__), client_factory=lambda s: None,
                   sleep=sleeps.append, propagation_attempts=attempts, propagation_delay=1.5)


def lagging(views: list[ObservedRole]):
    """An observe() that shows IAM's eventually consistent views in turn (the last one repeats)."""
    seen = list(views)

    def observe(self, ctx):
        return seen.pop(0) if len(seen) > 1 else seen[0]

    return observe


def planned_role(ctx: Context) -> ObservedRole:
    return ObservedRole(exists=True, trust=policies.trust_policy(ctx.config, ctx.identities))


def test_settle_returns_once_iam_shows_the_planned_trust(monkeypatch):
    sleeps: list[float] = []
    ctx = context(sleeps)
    views = [ObservedRole(exists=False), ObservedRole(exists=True, trust=None), planned_role(ctx)]
    monkeypatch.setattr(RoleTarget, "observe", lagging(views))
    RoleTarget().settle(ctx)
    assert sleeps == [1.5, 1.5]


def test_settle_gives_up_after_the_bounded_checks_with_a_clear_message(monkeypatch):
    sleeps: list[float] = []
    ctx = context(sleeps, attempts=4)
    monkeypatch.setattr(RoleTarget, "observe", lagging([ObservedRole(exists=False)]))
    with pytest.raises(CloudError) as err:
        RoleTarget().settle(ctx)
    assert len(sleeps) == 4
    assert err.value.message.startswith("wait for iam_role/reader: the role or its trust policy is not visible after 4")
    assert "rerun `fedkit apply`" in err.value.message and "\n" not in err.value.message


def test_apply_reports_the_wait_as_the_failed_step_after_the_role_was_created(monkeypatch):
    sleeps: list[float] = []
    ctx = context(sleeps, attempts=2)
    calls: list[str] = []
    monkeypatch.setattr(RoleTarget, "observe", lagging([ObservedRole(exists=False)]))
    monkeypatch.setattr(RoleTarget, "apply", lambda self, ctx, action: calls.append(action.payload["op"]))
    with pytest.raises(ApplyFailed) as err:
        apply_all(ctx, targets=[RoleTarget()])
    report = err.value.report
    assert calls == ["create_role", "put_role_policy"]
    assert report.failed == "wait for aws_role to propagate"
    assert [a.resource for a in report.done] == ["iam_role/reader", "iam_role_policy/reader/fedkit-gold-read"]
    assert all(isinstance(a, Action) for a in report.done)
