"""plan warns about who else the role's trust admits, and before it takes over a role fedkit did not create."""

from __future__ import annotations

import dataclasses

import pytest

from toolkit.config import Config
from toolkit.iam import policies
from toolkit.iam.observed import ObservedRole
from toolkit.iam.plan import plan_role, role_warnings
from toolkit.iam.trust_admits import foreign_principals
from toolkit.planning.identities import Identities, SnowflakeTrust

KNOWN = Identities(bigquery="123456789012345678901",
                   snowflake=SnowflakeTrust("arn:aws:iam::999988887777:user/sf", "AB_SFCRole=1_x="))
OPS = {"Sid": "Ops", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ops"},
       "Action": "sts:AssumeRole"}


def make() -> Config:
    return Config.model_validate({
        "gold": {"bucket": "acme-gold", "tables": {"fact_sales": {}}},
        "aws": {"account_id": "111122223333", "region": "us-east-1", "role_name": "reader"},
        "bigquery": {"project": "acme-proj"}, "snowflake": {},
    })


def converged(extra_trust=(), tags=None) -> ObservedRole:
    config = make()
    settings = policies.role_settings(config)
    trust = policies.trust_policy(config, KNOWN)
    trust["Statement"] = [*extra_trust, *trust["Statement"]]
    return ObservedRole(exists=True, arn="arn:aws:iam::111122223333:role/reader", trust=trust,
                        max_session_duration=settings["MaxSessionDuration"], description=settings["Description"],
                        tags={"managed-by": "fedkit"} if tags is None else tags,
                        inline_policy=policies.read_policy(config))


def test_fedkit_own_statements_admit_no_foreign_principal() -> None:
    assert foreign_principals(converged().trust) == []
    assert role_warnings(make(), converged()) == []


@pytest.mark.parametrize(("statement", "named"), [
    (OPS, ["AWS arn:aws:iam::111122223333:role/ops"]),
    ({"Effect": "Allow", "Principal": "*", "Action": "sts:*"}, ["* (anyone)"]),
    ({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "*"}, ["AWS * (anyone)"]),
    ({"Sid": "Saml", "Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/okta"},
      "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]}, ["Federated arn:aws:iam::111122223333:saml-provider/okta"]),
    ({"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]},
      "Action": "STS:AssumeRole"}, ["Service ec2.amazonaws.com", "Service lambda.amazonaws.com"]),
    ({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": "sts:TagSession"},
     ["AWS arn:aws:iam::111122223333:root"]),
    # A statement that looks like fedkit's but is not one of its Sids is not fedkit's.
    ({"Sid": "FedkitLegacy", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222233334444:user/old"},
      "Action": "sts:AssumeRole"}, ["AWS arn:aws:iam::222233334444:user/old"]),
])
def test_foreign_statements_that_allow_assume_role_are_named(statement, named) -> None:
    assert foreign_principals(converged([statement]).trust) == named


@pytest.mark.parametrize("statement", [
    {**OPS, "Effect": "Deny"},
    {**OPS, "Action": "sts:TagSession"},
    {**OPS, "Action": None, "NotAction": "sts:AssumeRole*"},
    "not a statement",
])
def test_statements_that_admit_nobody_are_not_named(statement) -> None:
    assert foreign_principals({"Statement": [statement]}) == []


def test_plan_warns_naming_the_foreign_principal_and_the_gold_it_can_read() -> None:
    observed = converged([OPS])
    assert plan_role(make(), KNOWN, observed) == []  # kept as it is: fedkit never removes what it does not manage
    (warning,) = role_warnings(make(), observed)
    assert warning.startswith("role reader's trust also admits AWS arn:aws:iam::111122223333:role/ops "
                              "(statement Ops, not managed by fedkit)")
    assert "can assume the role and read s3://acme-gold/gold/" in warning


def test_plan_warns_before_taking_over_a_role_fedkit_did_not_create() -> None:
    foreign = converged(tags={"team": "data"})
    actions = plan_role(make(), KNOWN, foreign)
    assert [a.resource for a in actions] == ["iam_role/reader/tags"]  # apply still does only what is planned
    (warning,) = role_warnings(make(), foreign)
    assert warning.startswith("role reader exists and was not created by fedkit: apply will manage its trust and "
                              "inline policy fedkit-gold-read")
    # Once fedkit manages it (tagged), there is nothing to take over: no warning on later plans.
    assert role_warnings(make(), dataclasses.replace(foreign, tags={"managed-by": "fedkit"})) == []
    # No role yet: fedkit will create it, nothing to say.
    assert role_warnings(make(), ObservedRole(exists=False)) == []


def test_every_warning_comes_in_a_stable_order() -> None:
    observed = dataclasses.replace(converged([OPS], tags={}), other_inline_policies=("legacy",))
    warnings = role_warnings(make(), observed)
    assert [w.split(" ", 2)[1:2] for w in warnings] == [["reader"], ["reader's"], ["reader"]]
    assert "exists and was not created by fedkit" in warnings[0]
    assert "trust also admits" in warnings[1]
    assert "also carries inline policy legacy" in warnings[2]
