"""connections.toml the way Snowflake's tools read it: location, connection name, env overrides, key-pair auth."""

from __future__ import annotations

import pytest

from toolkit.engines.snowflake_connect import connect_kwargs
from toolkit.errors import ConfigError

TOML = """\
default_connection_name = "team"

[default]
account = "acme-default"
user = "me"
password = "secret-password"

[team]
account = "acme-team"
user = "svc"
authenticator = "SNOWFLAKE_JWT"
private_key_file = "{key}"
warehouse = "WH"

[fedkit_sandbox]
account = "fakesnow"
user = "fedkit"
password = "x"
host = "127.0.0.1"
port = "4242"
protocol = "http"
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    key = tmp_path / "rsa_key.p8"
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    (tmp_path / "connections.toml").write_text(TOML.format(key=key))
    monkeypatch.setenv("SNOWFLAKE_HOME", str(tmp_path))
    for name in ("SNOWFLAKE_DEFAULT_CONNECTION_NAME", "SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _loaded(make_loaded, connection_name: str | None):
    text = "version: 1\ngold: {bucket: fedkit-demo-gold}\nsnowflake:\n  database: ANALYTICS\n"
    if connection_name:
        text += f"  connection_name: {connection_name}\n"
    return make_loaded(text)


def test_file_default_connection_name_and_key_pair(home, make_loaded):
    kwargs = connect_kwargs(_loaded(make_loaded, None))
    assert kwargs["account"] == "acme-team" and kwargs["authenticator"] == "SNOWFLAKE_JWT"
    assert kwargs["private_key_file"] == str(home / "rsa_key.p8")
    assert kwargs["session_parameters"] == {"TIMEZONE": "UTC"}


def test_env_default_name_wins_over_the_file_and_config_wins_over_env(home, make_loaded, monkeypatch):
    monkeypatch.setenv("SNOWFLAKE_DEFAULT_CONNECTION_NAME", "default")
    assert connect_kwargs(_loaded(make_loaded, None))["account"] == "acme-default"
    kwargs = connect_kwargs(_loaded(make_loaded, "fedkit_sandbox"))
    assert (kwargs["host"], kwargs["port"], kwargs["protocol"]) == ("127.0.0.1", 4242, "http")


def test_variables_override_single_keys(home, make_loaded, monkeypatch):
    monkeypatch.setenv("SNOWFLAKE_CONNECTIONS_TEAM_WAREHOUSE", "BIG_WH")
    monkeypatch.setenv("SNOWFLAKE_ROLE", "ANALYST")
    kwargs = connect_kwargs(_loaded(make_loaded, None))
    assert kwargs["warehouse"] == "BIG_WH" and kwargs["role"] == "ANALYST"


def test_missing_connection_names_file_but_no_secret(home, make_loaded):
    with pytest.raises(ConfigError) as error:
        connect_kwargs(_loaded(make_loaded, "nope"))
    assert "'nope'" in error.value.message and "connections.toml" in error.value.message
    assert "secret-password" not in error.value.message


def test_key_pair_without_key_file_is_a_config_error(home, make_loaded, monkeypatch):
    (home / "connections.toml").write_text('[default]\naccount = "a"\nuser = "u"\nauthenticator = "SNOWFLAKE_JWT"\n')
    with pytest.raises(ConfigError, match="needs private_key_file"):
        connect_kwargs(_loaded(make_loaded, None))
    monkeypatch.setenv("SNOWFLAKE_DEFAULT_CONNECTION_NAME", "default")
    (home / "connections.toml").write_text(
        '[default]\naccount = "a"\nuser = "u"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "/no/such.p8"\n'
    )
    with pytest.raises(ConfigError, match="does not exist"):
        connect_kwargs(_loaded(make_loaded, None))


def test_home_defaults_to_dot_snowflake(monkeypatch, tmp_path):
    from toolkit.engines.snowflake_connect import connections_file

    monkeypatch.delenv("SNOWFLAKE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert connections_file() == tmp_path / ".snowflake" / "connections.toml"


def test_every_connection_gets_bounded_timeouts(monkeypatch):
    """The connector retries a dead server forever by default (network_timeout infinite): fedkit never lets it."""
    import snowflake.connector

    from toolkit.engines.snowflake_connect import TIMEOUT_DEFAULTS, connect

    seen = {}
    monkeypatch.setattr(snowflake.connector, "connect", lambda **kw: seen.update(kw) or "conn")
    for name in TIMEOUT_DEFAULTS:
        monkeypatch.delenv(f"FEDKIT_SNOWFLAKE_{name.upper()}", raising=False)
    assert connect({"account": "a", "user": "u"}) == "conn"
    assert {k: seen[k] for k in TIMEOUT_DEFAULTS} == {"login_timeout": 60, "network_timeout": 600,
                                                       "socket_timeout": 120}
    monkeypatch.setenv("FEDKIT_SNOWFLAKE_NETWORK_TIMEOUT", "5")
    connect({"account": "a", "login_timeout": 30})  # a value from connections.toml wins over the defaults
    assert (seen["network_timeout"], seen["login_timeout"]) == (5, 30)


def test_a_bad_timeout_variable_is_a_one_line_usage_error():
    from toolkit.engines.snowflake_connect import snowflake_timeouts
    from toolkit.errors import UsageError

    with pytest.raises(UsageError, match=r"^FEDKIT_SNOWFLAKE_SOCKET_TIMEOUT='never': not a number$"):
        snowflake_timeouts({"FEDKIT_SNOWFLAKE_SOCKET_TIMEOUT": "never"})
