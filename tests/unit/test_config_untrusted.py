"""A config from a pull request is untrusted input: reading it is bounded in size, depth and time, YAML constructs that
have no place in a config are refused, and names cannot carry control characters or stray whitespace.

Every refusal is one line `file:line: ...`, exit 2, within 2 s.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from toolkit.config import Config, load_config
from toolkit.config_yaml import MAX_CONFIG_BYTES, MAX_DEPTH, MAX_NODES
from toolkit.errors import ConfigError

GOLD = "gold:\n  bucket: ok-bucket\n"
# CPU seconds of the loading thread: the work the loader does. Wall time also counts whatever else a loaded machine
# (or a second test worker) runs, and a 2 s wall bound failed there on a refusal that is quick in CPU.
BUDGET_S = 2.0


def refused(tmp_path: Path, text: str | bytes, pattern: str) -> str:
    """Load `text` as a config; assert a one-line exit-2 error matching `pattern`, in time. Returns the message."""
    path = tmp_path / "cfg.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    started = time.thread_time()
    with pytest.raises(ConfigError) as info:
        load_config(path)
    elapsed = time.thread_time() - started
    message = str(info.value)
    assert elapsed < BUDGET_S, f"used {elapsed:.2f} s of CPU: {message}"
    assert info.value.exit_code == 2
    assert "\n" not in message and "\r" not in message and message.isprintable(), repr(message)
    assert message.startswith(f"{path}"), message
    assert re.search(pattern, message), message
    return message


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return GOLD + "\n".join(lines) + "\n"


# -- aliases, anchors, merge keys ---------------------------------------------------------------------------------


def test_billion_laughs_is_refused_fast_at_the_first_alias(tmp_path: Path) -> None:
    # The first alias is on line 4 (`a1: &a1 [*a0, ...]`); nothing is expanded before the refusal.
    refused(tmp_path, billion_laughs(), r"cfg\.yaml:4: YAML alias \*a0 is not allowed in a config")


def test_any_alias_is_refused_even_a_small_one(tmp_path: Path) -> None:
    text = "gold:\n  bucket: &b ok-bucket\n  local_dir: data\n  prefix: *b\n"
    refused(tmp_path, text, r"cfg\.yaml:4: YAML alias \*b is not allowed in a config \(write the value out\)$")


def test_an_anchor_alone_is_harmless_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text("gold: &g\n  bucket: ok-bucket\n")
    assert load_config(path).config.gold.bucket == "ok-bucket"


def test_merge_key_is_refused(tmp_path: Path) -> None:
    text = "gold:\n  <<: {bucket: ok-bucket}\n  prefix: gold/\n"
    refused(tmp_path, text, r"cfg\.yaml:2: gold\.<<: YAML merge keys \(<<\) are not allowed in a config")


def test_merge_key_through_an_alias_is_refused_at_the_alias(tmp_path: Path) -> None:
    text = "base: &base {bucket: ok-bucket}\ngold:\n  <<: *base\n"
    refused(tmp_path, text, r"cfg\.yaml:3: YAML alias \*base is not allowed")


# -- tags ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, tag",
    [
        ("!vault secret/gold", "!vault"),
        ("!!python/object/apply:os.system ['id']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!timestamp 2024-01-01", "!!timestamp"),
        ("!!set {a, b}", "!!set"),
        ("!!int abc", "!!int"),  # PyYAML would raise a bare ValueError ("unexpected") constructing it
        ("!<tag:example.com,2000:x> y", "!<tag:example.com,2000:x>"),
    ],
)
def test_tags_other_than_plain_values_are_refused(tmp_path: Path, value: str, tag: str) -> None:
    pattern = rf"cfg\.yaml:3: YAML tag {re.escape(tag)} is not allowed in a config"
    refused(tmp_path, GOLD + f"  local_dir: {value}\n", pattern)


def test_plain_str_tag_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(GOLD + "aws:\n  account_id: !!str 012345678901\n  region: us-east-1\n")
    assert load_config(path).config.aws.account_id == "012345678901"


def test_a_date_like_value_is_text_not_a_crash(tmp_path: Path) -> None:
    # YAML 1.1 reads 2024-13-45 as a timestamp and PyYAML raises ValueError building it; a config has no dates.
    path = tmp_path / "cfg.yaml"
    path.write_text(GOLD + "  local_dir: 2024-13-45\n")
    assert load_config(path).config.gold.local_dir == "2024-13-45"


# -- keys ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, pattern",
    [
        ("2024", r"cfg\.yaml:4: gold\.tables: key 2024 is read by YAML as an int, not a name; quote it \('2024'\)$"),
        ("on", r"cfg\.yaml:4: gold\.tables: key on is read by YAML as a bool, not a name; quote it \('on'\)$"),
        ("null", r"cfg\.yaml:4: gold\.tables: key null is read by YAML as a null, not a name"),
        ("1.5", r"cfg\.yaml:4: gold\.tables: key 1\.5 is read by YAML as a float"),
        ("[a, b]", r"cfg\.yaml:4: gold\.tables: a key must be a name, not a list"),
        ("{a: b}", r"cfg\.yaml:4: gold\.tables: a key must be a name, not a mapping"),
    ],
)
def test_keys_must_be_names(tmp_path: Path, key: str, pattern: str) -> None:
    refused(tmp_path, GOLD + f"  tables:\n    {key}: {{}}\n", pattern)


def test_quoted_number_key_is_a_table_name(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(GOLD + "  tables:\n    '2024': {}\n")
    assert list(load_config(path).config.gold.tables) == ["2024"]


@pytest.mark.parametrize(
    "text, pattern",
    [
        (GOLD + "  prefix: a/\n  bucket: other\n",
         r"cfg\.yaml:4: gold\.bucket: is set twice \(first on line 2\); keep one$"),
        (GOLD + "  tables:\n    t:\n      path: a\n      path: b\n",
         r"cfg\.yaml:6: gold\.tables\.t\.path: is set twice \(first on line 5\)"),
        (GOLD + "gold:\n  bucket: other\n", r"cfg\.yaml:3: gold: is set twice \(first on line 1\)"),
        # the same key spelled two ways is still the same key
        (GOLD + '  "bucket": other\n', r"cfg\.yaml:3: gold\.bucket: is set twice \(first on line 2\)"),
        (GOLD + "kpi:\n  paths: [a]\n  paths: [b]\n", r"cfg\.yaml:5: kpi\.paths: is set twice"),
    ],
)
def test_duplicate_keys_are_refused_at_any_depth(tmp_path: Path, text: str, pattern: str) -> None:
    refused(tmp_path, text, pattern)


# -- size and depth -----------------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    padding = "# " + "x" * 78 + "\n"
    text = GOLD + padding * (MAX_CONFIG_BYTES // len(padding) + 1)
    refused(tmp_path, text, rf"cfg\.yaml: the config is larger than {MAX_CONFIG_BYTES // 1024} KiB")


def test_a_huge_sparse_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    with path.open("wb") as handle:
        handle.write(GOLD.encode())
        handle.truncate(8 * 1024**3)  # 8 GiB of zeros on disk as a hole: reading it would take minutes
    started = time.thread_time()
    with pytest.raises(ConfigError, match=r"the config is larger than"):
        load_config(path)
    assert time.thread_time() - started < BUDGET_S


def test_a_file_just_under_the_limit_loads(tmp_path: Path) -> None:
    padding = "# " + "x" * 78 + "\n"
    path = tmp_path / "cfg.yaml"
    path.write_text(GOLD + padding * ((MAX_CONFIG_BYTES - len(GOLD)) // len(padding)))
    assert os.path.getsize(path) <= MAX_CONFIG_BYTES
    started = time.thread_time()
    assert load_config(path).config.gold.bucket == "ok-bucket"
    assert time.thread_time() - started < BUDGET_S


@pytest.mark.parametrize(
    "text",
    [
        "gold: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "gold: " + "{a: " * 50_000 + "b" + "}" * 50_000 + "\n",
        "gold:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(300)),
    ],
    ids=["flow-lists", "flow-maps", "block-maps"],
)
def test_deep_nesting_is_refused_fast_not_a_recursion_error(tmp_path: Path, text: str) -> None:
    refused(tmp_path, text, rf"cfg\.yaml:\d+: the config nests deeper than {MAX_DEPTH} levels")


def test_the_pure_python_parser_is_bounded_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml (PyYAML built without it), deep flow nesting takes minutes in PyYAML's scanner: still refused."""
    import toolkit.config_yaml

    monkeypatch.setattr(toolkit.config_yaml, "USE_LIBYAML", False)
    refused(tmp_path, "gold: " + "[" * 100_000 + "]" * 100_000 + "\n", r"nests deeper than")
    refused(tmp_path, billion_laughs(), r"cfg\.yaml:4: YAML alias \*a0 is not allowed")
    refused(tmp_path, GOLD + "  local_dir: !vault x\n", r"cfg\.yaml:3: YAML tag !vault is not allowed")
    path = tmp_path / "ok.yaml"
    path.write_text(GOLD + "  tables:\n    t: {path: x}\n")
    assert load_config(path).config.gold.tables["t"].path == "x"


def test_invalid_yaml_still_names_the_line(tmp_path: Path) -> None:
    refused(tmp_path, GOLD + "  prefix: [\n", r"cfg\.yaml:4: invalid YAML")
    refused(tmp_path, "gold: ok\n---\ngold: again\n", r"cfg\.yaml:2: invalid YAML: .*another document")


def test_control_bytes_in_the_file_are_invalid_yaml(tmp_path: Path) -> None:
    refused(tmp_path, GOLD.encode() + b"  local_dir: a\x00b\n", r"cfg\.yaml:3: invalid YAML: .*#x0000")


# -- names --------------------------------------------------------------------------------------------------------

AWS = 'aws:\n  account_id: "123456789012"\n  region: us-east-1\n'

# (config text with {v} where the bad value goes, field, line of the value)
NAME_FIELDS = [
    ("gold:\n  bucket: {v}\n", "gold.bucket", 2),
    (GOLD + "  prefix: {v}\n", "gold.prefix", 3),
    (GOLD + "  local_dir: {v}\n", "gold.local_dir", 3),
    (GOLD + "  tables:\n    t:\n      path: {v}\n", "gold.tables.t.path", 5),
    (GOLD + "  tables:\n    t:\n      partition_columns: [dt, {v}]\n", "gold.tables.t.partition_columns.1", 5),
    (GOLD + "aws:\n  account_id: {v}\n  region: us-east-1\n", "aws.account_id", 4),
    (GOLD + "aws:\n  account_id: '123456789012'\n  region: {v}\n", "aws.region", 5),
    (GOLD + AWS + "  role_name: {v}\n", "aws.role_name", 6),
    (GOLD + AWS + "  export_prefix: {v}\n", "aws.export_prefix", 6),
    (GOLD + AWS + "  notifications:\n    sns_topic: {v}\n", "aws.notifications.sns_topic", 7),
    (GOLD + "bigquery:\n  project: {v}\n", "bigquery.project", 4),
    (GOLD + "bigquery:\n  project: my-project\n  dataset: {v}\n", "bigquery.dataset", 5),
    (GOLD + "bigquery:\n  project: my-project\n  connection_id: {v}\n", "bigquery.connection_id", 5),
    (GOLD + "bigquery:\n  project: my-project\n  location: {v}\n", "bigquery.location", 5),
    (GOLD + "snowflake:\n  database: {v}\n", "snowflake.database", 4),
    (GOLD + "snowflake:\n  schema: {v}\n", "snowflake.schema", 4),
    (GOLD + "snowflake:\n  integration: {v}\n", "snowflake.integration", 4),
    (GOLD + "snowflake:\n  stage: {v}\n", "snowflake.stage", 4),
    (GOLD + "snowflake:\n  warehouse: {v}\n", "snowflake.warehouse", 4),
    (GOLD + "snowflake:\n  connection_name: {v}\n", "snowflake.connection_name", 4),
    (GOLD + "kpi:\n  paths:\n    - sql/kpi\n    - {v}\n", "kpi.paths.1", 6),
    (GOLD + "identities:\n  bigquery: {v}\n", "identities.bigquery", 4),
    (GOLD + "identities:\n  snowflake_channel: {v}\n", "identities.snowflake_channel", 4),
    (GOLD + "identities:\n  snowflake:\n    iam_user_arn: {v}\n    external_id: AB_1\n",
     "identities.snowflake.iam_user_arn", 5),
]
# Values that look right to a person and are not: (YAML double-quoted text, the value's repr as shown)
BAD_VALUES = [
    ('"fedkit-gold-reader\\n"', "control character (U+000A)", r"'fedkit-gold-reader\n'"),
    ('"fedkit\\r"', "control character (U+000D)", r"'fedkit\r'"),
    ('"fed\\x1b[31mkit"', "control character (U+001B)", r"'fed\x1b[31mkit'"),
    ('"fed\\x00kit"', "control character (U+0000)", r"'fed\x00kit'"),
    ('"fed\\x7fkit"', "control character (U+007F)", r"'fed\x7fkit'"),
    ('"fed\\x85kit"', "control character (U+0085)", r"'fed\x85kit'"),
    ('"fed\\u2028kit"', "control character (U+2028)", r"'fed\u2028kit'"),
    ('"fed\\u2029kit"', "control character (U+2029)", r"'fed\u2029kit'"),
    ('"fed\\u202ekit"', "control character (U+202E)", r"'fed\u202ekit'"),  # right-to-left override
    ('"fed\\tkit"', "control character (U+0009)", r"'fed\tkit'"),
    ('" fedkit"', "starts or ends with whitespace", "' fedkit'"),
    ('"fedkit "', "starts or ends with whitespace", "'fedkit '"),
    ('"fedkit\\u00a0"', "starts or ends with whitespace", r"'fedkit\xa0'"),
]


@pytest.mark.parametrize("template, field, line", NAME_FIELDS, ids=[f[1] for f in NAME_FIELDS])
@pytest.mark.parametrize("value, problem, shown", BAD_VALUES, ids=[str(i) for i in range(len(BAD_VALUES))])
def test_names_with_control_characters_or_outer_whitespace_are_refused(
    tmp_path: Path, template: str, field: str, line: int, value: str, problem: str, shown: str
) -> None:
    message = refused(tmp_path, template.format(v=value), rf"cfg\.yaml:{line}: {re.escape(field)}: ")
    assert problem in message
    assert message.endswith(f"(got {shown})"), message


@pytest.mark.parametrize("key, line", [('"fact_sales "', 4), ('"fact\\nsales"', 4), ('"\\u2028t"', 4)])
def test_table_names_are_names_too(tmp_path: Path, key: str, line: int) -> None:
    message = refused(tmp_path, GOLD + f"  tables:\n    {key}: {{}}\n", rf"cfg\.yaml:{line}: gold\.tables: key ")
    assert "control character" in message or "whitespace" in message


def test_any_key_with_a_control_character_is_refused_before_it_is_echoed(tmp_path: Path) -> None:
    # an unknown key would be echoed in "is not a known field": a terminal escape must not reach the terminal
    refused(tmp_path, GOLD + '  "buck\\x1b[2Jet": x\n', r"cfg\.yaml:3: gold: key 'buck\\x1b\[2Jet' holds a control")


def test_the_external_id_is_never_echoed_even_when_it_holds_a_newline(tmp_path: Path) -> None:
    text = GOLD + "identities:\n  snowflake:\n    iam_user_arn: arn:aws:iam::123456789012:user/sf\n" \
                  '    external_id: "SECRET_EXT_ID\\n"\n'
    message = refused(tmp_path, text, r"cfg\.yaml:6: identities\.snowflake\.external_id: holds a control character")
    assert "SECRET" not in message and "got" not in message
    one_string = GOLD + 'identities:\n  snowflake: "arn:aws:iam::123456789012:user/sf,SECRET_EXT_ID\\n"\n'
    message = refused(tmp_path, one_string, r"cfg\.yaml:4: identities\.snowflake: holds a control character")
    assert "SECRET" not in message and "got" not in message


def test_the_model_refuses_unsafe_names_without_yaml_too() -> None:
    """One check, in the model: code that builds a Config from a dict gets the same refusal."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="holds a control character"):
        Config.model_validate({"gold": {"bucket": "ok-bucket"}, "aws": {
            "account_id": "123456789012", "region": "us-east-1", "role_name": "fedkit-gold-reader\n"}})
    with pytest.raises(ValidationError, match=r"key 'fact\\nsales' holds a control character"):
        Config.model_validate({"gold": {"bucket": "ok-bucket", "tables": {"fact\nsales": {}}}})


def test_inner_spaces_in_a_table_name_are_still_allowed(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(GOLD + "  tables:\n    'fact sales': {}\n")
    assert list(load_config(path).config.gold.tables) == ["fact sales"]


@pytest.mark.parametrize(
    "text, pattern",
    [
        # Arabic-Indic digits are digits to Python's `\d`, not to AWS or Google
        (GOLD + "aws:\n  account_id: '١٢٣٤٥٦٧٨٩٠١٢'\n  region: us-east-1\n",
         r":4: aws\.account_id: must be exactly 12 digits"),
        (GOLD + "identities:\n  bigquery: '" + "١" * 21 + "'\n",
         r":4: identities\.bigquery: is not a Google identity"),
        (GOLD + AWS + "  role_name: rôle\n", r":6: aws\.role_name: is not a valid IAM role name"),
    ],
)
def test_names_are_ascii_where_the_cloud_says_so(tmp_path: Path, text: str, pattern: str) -> None:
    refused(tmp_path, text, pattern)


@pytest.mark.parametrize("use_libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(
    "text",
    [
        "gold: {bucket: ok-bucket}\nkpi:\n  paths: [" + "a," * 130_000 + "a]\n",  # 256 KiB of one-letter values
        "gold: {bucket: ok-bucket}\n" + "".join(f"k{i}: 1\n" for i in range(27_000)),
    ],
    ids=["long-list", "many-keys"],
)
def test_a_config_with_too_many_values_is_refused_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_libyaml: bool, text: str
) -> None:
    """Under the size limit, 130 000 values took 1.5 s with libyaml and 7.5 s without: the node budget stops it."""
    import toolkit.config_yaml

    monkeypatch.setattr(toolkit.config_yaml, "USE_LIBYAML", use_libyaml)
    assert len(text.encode()) <= MAX_CONFIG_BYTES
    refused(tmp_path, text, rf"cfg\.yaml:\d+: the config holds more than {MAX_NODES} keys and values")


def test_a_config_near_the_node_budget_loads(tmp_path: Path) -> None:
    names = "".join(f"    t{i}: {{path: p{i}}}\n" for i in range(MAX_NODES // 4 - 10))  # 4 nodes a table
    path = tmp_path / "cfg.yaml"
    path.write_text(GOLD + "  tables:\n" + names)
    started = time.thread_time()
    assert len(load_config(path).config.gold.tables) == MAX_NODES // 4 - 10
    assert time.thread_time() - started < BUDGET_S
