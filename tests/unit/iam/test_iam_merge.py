"""Merge, never overwrite: foreign statements survive; managed ones are replaced in place."""

from __future__ import annotations

from toolkit.iam.merge import merge_statements, normalize_statement

FOREIGN = {"Sid": "OpsBreakGlass", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ops"},
           "Action": "sts:AssumeRole"}
OURS_OLD = {"Sid": "FedkitBigQueryOmni", "Effect": "Allow", "Principal": {"Federated": "accounts.google.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"accounts.google.com:sub": "111111111111111111111"}}}
OURS_NEW = {**OURS_OLD, "Condition": {"StringEquals": {"accounts.google.com:sub": "222222222222222222222"}}}
SF = {"Sid": "FedkitSnowflake", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:user/x"},
      "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "AB"}}}


def test_creates_from_nothing():
    merged = merge_statements(None, [OURS_OLD, SF])
    assert merged.document == {"Version": "2012-10-17", "Statement": [OURS_OLD, SF]}
    assert merged.added == ["FedkitBigQueryOmni", "FedkitSnowflake"] and merged.changed


def test_identity_change_updates_only_that_statement_in_place():
    observed = {"Version": "2012-10-17", "Statement": [OURS_OLD, FOREIGN, SF]}
    merged = merge_statements(observed, [OURS_NEW, SF])
    assert merged.document["Statement"] == [OURS_NEW, FOREIGN, SF]
    assert (merged.added, merged.updated, merged.removed) == ([], ["FedkitBigQueryOmni"], [])


def test_equal_documents_plan_nothing_despite_cosmetic_differences():
    cosmetic = {**SF, "Action": ["sts:AssumeRole"], "Principal": {"AWS": ["arn:aws:iam::999988887777:user/x"]},
                "Condition": {"StringEquals": {"sts:ExternalId": ["AB"]}}}
    assert normalize_statement(cosmetic) == normalize_statement(SF)
    merged = merge_statements({"Version": "2012-10-17", "Statement": cosmetic}, [SF])
    assert not merged.changed
    assert merged.document["Statement"] == [cosmetic]  # what AWS holds is left as it is


def test_stale_and_duplicate_managed_statements_are_removed_foreign_kept():
    observed = {"Version": "2012-10-17", "Id": "keep-me", "Statement": [FOREIGN, SF, SF, OURS_OLD]}
    merged = merge_statements(observed, [SF])
    assert merged.document == {"Version": "2012-10-17", "Id": "keep-me", "Statement": [FOREIGN, SF]}
    assert merged.removed == ["FedkitSnowflake", "FedkitBigQueryOmni"]


def test_existing_version_is_kept_for_foreign_documents():
    observed = {"Version": "2008-10-17", "Statement": [FOREIGN]}
    assert merge_statements(observed, [SF]).document["Version"] == "2008-10-17"


def test_a_foreign_statement_whose_sid_merely_starts_with_fedkit_is_kept():
    # People name their own statements too ("FedkitCIDeploy"): only Sids fedkit generates are fedkit's to drop.
    human = {**FOREIGN, "Sid": "FedkitCIDeploy"}
    merged = merge_statements({"Version": "2012-10-17", "Statement": [human, SF]}, [SF])
    assert merged.document["Statement"] == [human, SF]
    assert not merged.changed
