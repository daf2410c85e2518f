"""The pipeline: phases in order, re-observation between phases, identity read, stop-and-report on failure."""

from __future__ import annotations

import pytest

from toolkit.config import Config, LoadedConfig
from toolkit.errors import CloudError
from toolkit.planning import pipeline
from toolkit.planning.actions import Action
from toolkit.planning.pipeline import ApplyFailed, Context, apply_all, plan_all

LOADED = LoadedConfig(Config.model_validate({"gold": {"bucket": "acme-gold"}, "bigquery": {"project": "acme-proj"}}),
                      path=__file__)


class World:
    """A fake cloud: a set of things that exist, and a log of calls."""

    def __init__(self):
        self.things: set[str] = set()
        self.log: list[str] = []
        self.fail_on: str | None = None


class Thing:
    def __init__(self, world, name, phases, needs_identity=False):
        self.world, self.name, self.phases, self.needs_identity = world, name, phases, needs_identity

    def observe(self, ctx):
        self.world.log.append(f"observe {self.name}")
        return set(self.world.things)

    def plan(self, ctx, observed):
        want = self.name + (f"@{ctx.identities.bigquery}" if self.needs_identity and ctx.identities.bigquery else "")
        return [] if want in observed else [Action("aws", "create", want, f"create {want}")]

    def apply(self, ctx, action):
        if self.world.fail_on == action.resource:
            raise CloudError(f"create {action.resource}: AccessDenied: missing permission iam:CreateRole")
        self.world.log.append(f"apply {action.resource}")
        self.world.things.add(action.resource)


class Connection(Thing):
    def identities(self):
        world = self.world

        class Source:
            def bigquery_identity(self):
                return "123456789012345678901" if "connection" in world.things else None

            def snowflake_identity(self):
                return None

        return Source()


def test_phases_are_ordered_and_documented():
    assert pipeline.PHASES == ("aws_role", "engine_connection", "identity_read", "trust_tighten", "engine_tables",
                               "notifications", "refresh")
    assert "toolkit.iam.role_target:RoleTarget" in pipeline.TARGETS
    # `plan` observes in TARGETS order: the Snowflake refresh comes after the notifications it follows.
    assert pipeline.TARGETS.index("toolkit.registration.refresh_target:SnowflakeRefreshTarget") > pipeline.TARGETS.index(
        "toolkit.iam.notification_target:NotificationTarget")
    assert all(isinstance(t, pipeline.Target) for t in pipeline.load_targets())


def test_two_phase_handshake_reobserves_and_tightens_trust():
    world = World()
    role = Thing(world, "role", ("aws_role", "trust_tighten"), needs_identity=True)
    conn = Connection(world, "connection", ("engine_connection",))
    ctx = Context(loaded=LOADED, sleep=lambda s: None)
    first = plan_all(ctx, [role, conn])
    assert [a.resource for a in first.actions] == ["role", "connection"]
    report = apply_all(ctx, [role, conn])
    assert [a.resource for a in report.done] == ["role", "connection", "role@123456789012345678901"]
    assert ctx.identities.sources == {"bigquery": "engine"}
    # the role is observed again in the trust phase, after the connection exists
    assert world.log.index("observe role", world.log.index("apply connection")) > world.log.index("apply connection")
    assert apply_all(ctx, [role, conn]).done == []


class Follower(Thing):
    """Plans one step for every change an earlier target makes in this run (like the Snowflake refresh)."""

    def plan(self, ctx, observed):
        return [Action("snowflake", "update", f"after {a.resource}", "follows") for a in ctx.changes
                if not a.resource.startswith("after ") and f"after {a.resource}" not in observed]


def test_a_later_phase_sees_what_earlier_phases_change_in_this_run():
    world = World()
    wiring = Thing(world, "notifications", ("notifications",))
    follower = Follower(world, "refresh", ("refresh",))
    ctx = Context(loaded=LOADED)
    assert [a.resource for a in plan_all(ctx, [wiring, follower]).actions] == ["notifications", "after notifications"]
    report = apply_all(ctx, [follower, wiring])  # the phase orders them, not the list
    assert [a.resource for a in report.done] == ["notifications", "after notifications"]
    assert world.log.index("apply after notifications") > world.log.index("apply notifications")
    assert [a.resource for a in ctx.changes] == ["notifications", "after notifications"]
    assert apply_all(ctx, [follower, wiring]).done == [] and ctx.changes == []  # a rerun changes nothing


def test_failure_stops_and_reports_done_and_failed_steps():
    world = World()
    world.fail_on = "connection"
    role = Thing(world, "role", ("aws_role",))
    conn = Connection(world, "connection", ("engine_connection",))
    later = Thing(world, "tables", ("engine_tables",))
    with pytest.raises(ApplyFailed) as err:
        apply_all(Context(loaded=LOADED), [role, conn, later])
    report = err.value.report
    assert [a.resource for a in report.done] == ["role"]
    assert report.failed == "create connection"
    assert "missing permission iam:CreateRole" in err.value.message and "steps done before the failure: create role" in err.value.message
    assert "apply tables" not in world.log and err.value.exit_code == 1
    world.fail_on = None
    rerun = apply_all(Context(loaded=LOADED), [role, conn, later])
    assert [a.resource for a in rerun.done] == ["connection", "tables"]


def test_disabled_targets_are_skipped():
    world = World()
    thing = Thing(world, "x", ("aws_role",))
    thing.enabled = lambda ctx: False
    assert plan_all(Context(loaded=LOADED), [thing]).empty and world.log == []


def test_plan_json_keeps_drift_out_of_the_actions_contract():
    """`actions` holds only create|update|replace|delete (empty = nothing to do); drift reports are listed apart."""
    from toolkit.planning.actions import Action, Plan
    from toolkit.planning.pipeline import ApplyReport

    change = Action("aws", "update", "iam_role/r/trust_policy", "trust policy: update FedkitBigQueryOmni")
    drift = Action("snowflake", "drift", "snowflake_external_table/DB.S.t", "columns changed: rerun with --replace")
    assert Plan((drift,)).to_json() == {"actions": [], "drift": [drift.to_json()]}
    assert Plan((change, drift)).to_json()["actions"] == [change.to_json()]
    assert Plan((change,)).to_json() == {"actions": [change.to_json()]}
    assert {a["action"] for a in Plan((change, drift)).to_json()["actions"]} <= {"create", "update", "replace", "delete"}
    report = ApplyReport(done=[change, drift]).to_json()
    assert report["done"] == [change.to_json()] and report["drift"] == [drift.to_json()]
    assert "drift" not in ApplyReport(done=[change]).to_json()


def test_a_stop_request_finishes_the_current_step_and_starts_no_other():
    """Ctrl-C (the CLI sets ctx.stop) during a step: that step completes, the next one never starts."""
    from toolkit.planning.pipeline import ApplyInterrupted

    world = World()
    role = Thing(world, "role", ("aws_role",))
    conn = Connection(world, "connection", ("engine_connection",))
    ctx = Context(loaded=LOADED)
    real_apply = role.apply

    def apply_then_ctrl_c(ctx_, action):
        real_apply(ctx_, action)
        ctx_.stop.set()  # arrives while this call runs

    role.apply = apply_then_ctrl_c
    with pytest.raises(ApplyInterrupted) as err:
        apply_all(ctx, [role, conn])
    assert [a.resource for a in err.value.report.done] == ["role"]
    assert "apply connection" not in world.log and "observe connection" not in world.log
    assert err.value.exit_code == 130 and "\n" not in err.value.message
    assert "steps done: create role" in err.value.message
    data = err.value.report.to_json()
    assert data["interrupted"] is True and [a["resource"] for a in data["done"]] == ["role"]
    assert data["failed"] is None


def test_an_sdk_that_turns_ctrl_c_into_keyboardinterrupt_mid_step_is_reported_as_interrupted():
    """snowflake-connector installs its own SIGINT handler while a statement runs (it cancels the statement and
    raises KeyboardInterrupt): the report then says the step may not have finished, and lists the steps done."""
    from toolkit.planning.pipeline import ApplyInterrupted

    world = World()
    role = Thing(world, "role", ("aws_role",))
    conn = Connection(world, "connection", ("engine_connection",))

    def cancelled(ctx_, action):
        raise KeyboardInterrupt

    conn.apply = cancelled
    with pytest.raises(ApplyInterrupted) as err:
        apply_all(Context(loaded=LOADED), [role, conn])
    assert [a.resource for a in err.value.report.done] == ["role"]
    assert err.value.message.startswith("interrupted during create connection (it may not have finished); "
                                        "steps done: create role;")
    assert err.value.exit_code == 130


def test_an_engine_error_line_names_the_step():
    world = World()
    role = Thing(world, "role", ("aws_role",))

    def engine_error(ctx_, action):
        raise CloudError("Snowflake: CREATE DATABASE X: 250003: Failed to execute request")

    role.apply = engine_error
    with pytest.raises(ApplyFailed) as err:
        apply_all(Context(loaded=LOADED), [role])
    assert err.value.message.startswith("create role: Snowflake: CREATE DATABASE X: 250003")


def test_one_apply_reads_the_gold_catalog_once_for_every_target_and_phase(monkeypatch):
    from toolkit.gold import schema
    from toolkit.gold.model import GoldCatalog

    reads = []
    monkeypatch.setattr(schema, "read_catalog",
                        lambda loaded, source, sample=False: reads.append((source, sample)) or GoldCatalog())

    class Reader(Thing):
        def observe(self, ctx):
            ctx.gold_catalog()
            return super().observe(ctx)

    world = World()
    targets = [Reader(world, "tables", ("engine_connection", "engine_tables")),
               Reader(world, "notifications", ("notifications",))]
    ctx = Context(loaded=LOADED)
    apply_all(ctx, targets)
    plan_all(ctx, targets)
    assert reads == [("s3", True)]  # one sampled read of S3 for the whole run, whatever the phases


class PredictingRole(Thing):
    """A role whose trust_tighten step `plan` can show before the identity exists (issue 12 item 1)."""

    def predict(self, ctx, observed, planned):
        return [Action("aws", "update", "role", "trust (known after the connection exists)")]


def test_plan_lists_a_later_phase_step_predicted_by_its_target_in_apply_order():
    world = World()
    role = PredictingRole(world, "role", ("aws_role", "trust_tighten"), needs_identity=True)
    conn = Connection(world, "connection", ("engine_connection",))
    table = Thing(world, "table", ("engine_tables",))
    plan = plan_all(Context(loaded=LOADED, sleep=lambda s: None), [role, table, conn])
    assert [(a.action, a.resource) for a in plan.actions] == [
        ("create", "role"), ("create", "connection"), ("update", "role"), ("create", "table")]
    assert world.log.count("observe role") == 1  # predicted, not observed twice


def test_apply_never_does_a_step_the_shown_plan_did_not_list():
    world = World()
    role = Thing(world, "role", ("aws_role", "trust_tighten"), needs_identity=True)
    conn = Connection(world, "connection", ("engine_connection",))
    ctx = Context(loaded=LOADED, sleep=lambda s: None)
    shown = plan_all(ctx, [role, conn])  # this target cannot predict its trust step: the plan lacks it
    with pytest.raises(ApplyFailed) as caught:
        apply_all(ctx, [role, conn], shown=shown)
    assert caught.value.exit_code == 1
    assert caught.value.report.failed == "create role@123456789012345678901"
    assert "not in the plan that was shown" in caught.value.message
    assert "steps done before the failure: create role, create connection" in caught.value.message
    assert "apply role@123456789012345678901" not in world.log


def test_apply_may_do_less_than_the_shown_plan():
    world = World()
    thing = Thing(world, "bucket", ("aws_role",))
    ctx = Context(loaded=LOADED, sleep=lambda s: None)
    shown = plan_all(ctx, [thing])
    world.things.add("bucket")  # someone else did it meanwhile
    assert apply_all(ctx, [thing], shown=shown).done == []
