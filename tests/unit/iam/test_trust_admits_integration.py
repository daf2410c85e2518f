"""`admits`: does a trust let a Snowflake integration's IAM user assume the role with its external id?"""

from __future__ import annotations

from toolkit.iam.trust_admits import admits

USER, EXT = "arn:aws:iam::111122223333:user/abc-s-v2", "AB12_SFCRole=2_x="


def _trust(principal, external_id=EXT, effect="Allow"):
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": effect, "Principal": {"AWS": principal}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": external_id}}}]}


def test_the_user_with_its_external_id_is_admitted():
    assert admits(_trust(USER), USER, EXT) and admits(_trust([USER, "arn:aws:iam::1:root"]), USER, EXT)


def test_another_user_another_external_id_or_a_deny_is_not():
    assert not admits(_trust("arn:aws:iam::1:user/other"), USER, EXT)
    assert not admits(_trust(USER, "other"), USER, EXT)
    assert not admits(_trust(USER, effect="Deny"), USER, EXT)
    assert not admits(None, USER, EXT)
