"""connections.toml the way Snowflake's tools read it: where the files are, which connection name wins, variable
overrides, the config's warehouse, key-pair auth. The connector resolves the connection itself (connection_name=)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.engines.snowflake_connect import choose_connection, connect_kwargs, describe_connection
from toolkit.errors import ConfigError

TOML = """\
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

[fedkit_sandbox.session_parameters]
QUERY_TAG = "fedkit"
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    key = tmp_path / "rsa_key.p8"
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    (tmp_path / "connections.toml").write_text(TOML.format(key=key))
    (tmp_path / "config.toml").write_text('default_connection_name = "team"\n')
    monkeypatch.setenv("SNOWFLAKE_HOME", str(tmp_path))
    for name in ("SNOWFLAKE_DEFAULT_CONNECTION_NAME", "SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD",
                 "SNOWFLAKE_WAREHOUSE", "SNOWFLAKE_ROLE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _loaded(make_loaded, connection_name: str | None, warehouse: str | None = None, flag: str | None = None):
    text = "version: 1\ngold: {bucket: fedkit-demo-gold}\nsnowflake:\n  database: ANALYTICS\n"
    if connection_name:
        text += f"  connection_name: {connection_name}\n"
    if warehouse:
        text += f"  warehouse: {warehouse}\n"
    loaded = make_loaded(text)
    loaded.snowflake_connection = flag
    return loaded


def test_the_connector_resolves_the_name_fedkit_only_pins_utc_and_the_key_path(home, make_loaded):
    kwargs = connect_kwargs(_loaded(make_loaded, None))
    assert kwargs["connection_name"] == "team"  # default_connection_name in config.toml
    assert kwargs["connections_file_path"] == home / "connections.toml"
    assert "account" not in kwargs and "user" not in kwargs  # the connector reads them from the file
    assert kwargs["private_key_file"] == str(home / "rsa_key.p8")
    assert kwargs["session_parameters"] == {"TIMEZONE": "UTC"}


@pytest.mark.parametrize("flag, env, configured, expected, source", [
    (None, None, None, "team", "default_connection_name in"),
    (None, None, "fedkit_sandbox", "fedkit_sandbox", "snowflake.connection_name in"),
    (None, "default", "fedkit_sandbox", "default", "SNOWFLAKE_DEFAULT_CONNECTION_NAME"),
    ("team", "default", "fedkit_sandbox", "team", "--connection"),
])
def test_flag_then_environment_then_project_then_config_toml(home, make_loaded, monkeypatch, flag, env, configured,
                                                             expected, source):
    if env:
        monkeypatch.setenv("SNOWFLAKE_DEFAULT_CONNECTION_NAME", env)
    name, why = choose_connection(_loaded(make_loaded, configured, flag=flag))
    assert name == expected and why.startswith(source)
    assert connect_kwargs(_loaded(make_loaded, configured, flag=flag))["connection_name"] == expected


def test_without_any_default_the_default_connection(home, make_loaded):
    (home / "config.toml").unlink()
    assert choose_connection(_loaded(make_loaded, None)) == ("default", "the [default] connection")


def test_file_session_parameters_are_kept_under_utc(home, make_loaded):
    kwargs = connect_kwargs(_loaded(make_loaded, "fedkit_sandbox"))
    assert kwargs["session_parameters"] == {"QUERY_TAG": "fedkit", "TIMEZONE": "UTC"}
    assert kwargs["port"] == 4242


def test_variables_override_single_keys_and_the_config_warehouse_wins(home, make_loaded, monkeypatch):
    monkeypatch.setenv("SNOWFLAKE_CONNECTIONS_TEAM_WAREHOUSE", "BIG_WH")
    monkeypatch.setenv("SNOWFLAKE_ROLE", "ANALYST")
    kwargs = connect_kwargs(_loaded(make_loaded, None))
    assert kwargs["warehouse"] == "BIG_WH" and kwargs["role"] == "ANALYST"
    assert connect_kwargs(_loaded(make_loaded, None, warehouse="REPORTING_WH"))["warehouse"] == "REPORTING_WH"


def test_missing_connection_names_file_and_the_known_ones_but_no_secret(home, make_loaded):
    with pytest.raises(ConfigError) as error:
        connect_kwargs(_loaded(make_loaded, "nope"))
    message = error.value.message
    assert "'nope'" in message and "connections.toml" in message and "snowflake.connection_name" in message
    assert "default, fedkit_sandbox, team" in message
    assert "secret-password" not in message


def test_key_pair_without_key_file_is_a_config_error(home, make_loaded, monkeypatch):
    (home / "connections.toml").write_text('[default]\naccount = "a"\nuser = "u"\nauthenticator = "SNOWFLAKE_JWT"\n')
    monkeypatch.setenv("SNOWFLAKE_DEFAULT_CONNECTION_NAME", "default")
    with pytest.raises(ConfigError, match="needs private_key_file"):
        connect_kwargs(_loaded(make_loaded, None))
    (home / "connections.toml").write_text(
        '[default]\naccount = "a"\nuser = "u"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "/no/such.p8"\n'
    )
    with pytest.raises(ConfigError, match="does not exist"):
        connect_kwargs(_loaded(make_loaded, None))


def test_describe_names_the_account_connection_and_why(home, make_loaded):
    described = describe_connection(_loaded(make_loaded, None))
    assert described["account"] == "acme-team" and described["connection"] == "team"
    assert described["text"].startswith("Snowflake account acme-team (connection team from default_connection_name in")
    assert "secret" not in str(described)


def _connector_sf_dirs():
    """The connector's own folder rule (snowflake/connector/sf_dirs.py), loaded alone: importing the package would
    install its logging NullHandler for the rest of the session (tests of SDK log scrubbing need the default)."""
    import importlib.util

    spec = importlib.util.find_spec("snowflake")
    assert spec is not None and spec.submodule_search_locations
    path = Path(list(spec.submodule_search_locations)[0]) / "connector" / "sf_dirs.py"
    module_spec = importlib.util.spec_from_file_location("fedkit_test_sf_dirs", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("layout", ["snowflake_home", "dot_snowflake", "xdg_default", "xdg_config_home"])
def test_folder_is_the_one_the_connector_resolves(layout, tmp_path, monkeypatch):
    """SNOWFLAKE_HOME, else ~/.snowflake when it exists, else the platform folder (~/.config/snowflake on Linux):
    fedkit's answer is the connector's own `sf_dirs` answer in every case."""
    from toolkit.engines.snowflake_connect import snowflake_home

    _resolve_platform_dirs = _connector_sf_dirs()._resolve_platform_dirs

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("SNOWFLAKE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    expected = {
        "snowflake_home": tmp_path / "elsewhere",
        "dot_snowflake": home / ".snowflake",
        "xdg_default": home / ".config" / "snowflake",
        "xdg_config_home": tmp_path / "xdg" / "snowflake",
    }[layout]
    if layout == "snowflake_home":
        expected.mkdir()
        monkeypatch.setenv("SNOWFLAKE_HOME", str(expected))
    elif layout == "dot_snowflake":
        expected.mkdir()
    elif layout == "xdg_config_home":
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert snowflake_home() == expected
    assert snowflake_home() == _resolve_platform_dirs().user_config_path


def test_describe_an_unknown_connection_says_so_in_one_line(home, make_loaded):
    described = describe_connection(_loaded(make_loaded, "nope"))
    assert described["account"] is None
    assert described["text"].startswith("Snowflake connection 'nope' (from snowflake.connection_name in ")
    assert "\n" not in described["text"]


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


def test_a_timeout_of_the_named_connection_wins_over_the_defaults(home, make_loaded, monkeypatch):
    """The connector reads the connection by name; fedkit's default timeouts must not override the file's own."""
    import snowflake.connector

    from toolkit.engines.snowflake_connect import connect

    (home / "connections.toml").write_text('[default]\naccount = "a"\nuser = "u"\nlogin_timeout = 15\n')
    monkeypatch.setenv("SNOWFLAKE_DEFAULT_CONNECTION_NAME", "default")
    seen = {}
    monkeypatch.setattr(snowflake.connector, "connect", lambda **kw: seen.update(kw) or "conn")
    assert connect(connect_kwargs(_loaded(make_loaded, None))) == "conn"
    assert seen["connection_name"] == "default" and "login_timeout" not in seen  # the connector takes the file's 15
    assert seen["network_timeout"] == 600
