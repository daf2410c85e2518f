"""No secret in any output: the secrets in play are collected, and scrubbed from every stream and error fedkit prints."""

from __future__ import annotations

import io
import os
import json
import logging
import secrets
from pathlib import Path

import pytest

from toolkit import redact


def canary(tag: str) -> str:
    return f"CANARY{tag}{secrets.token_hex(12)}"


PEM_BODY = ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + secrets.token_hex(8), "Z29vZ2xlLWNhbmFyeS1wcml2YXRlLWtleQ" + secrets.token_hex(8)]
PEM = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(PEM_BODY) + "\n-----END PRIVATE KEY-----\n"


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    """An environment whose every credential source holds a canary; returns {name: canary} plus the env itself."""
    sf_home = tmp_path / "snowflake"
    sf_home.mkdir()
    key_file = tmp_path / "rsa_key.p8"
    key_file.write_text(PEM.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"))
    values = {name: canary(name) for name in ("aws_secret", "aws_token", "sf_env", "sf_named_env", "sf_password",
                                               "sf_token", "sf_pwd", "refresh", "client_secret", "aws_file")}
    (sf_home / "connections.toml").write_text(
        f'[prod]\naccount = "acme"\nuser = "me"\npassword = "{values["sf_password"]}"\n'
        f'[jwt]\naccount = "acme"\nauthenticator = "SNOWFLAKE_JWT"\nprivate_key_file = "{key_file}"\n'
        f'private_key_file_pwd = "{values["sf_pwd"]}"\n'
        f'[oauth]\naccount = "acme"\ntoken = "{values["sf_token"]}"\n'
    )
    adc = tmp_path / "adc.json"
    adc.write_text(json.dumps({"type": "service_account", "private_key": PEM, "client_email": "x@p.iam.gserviceaccount.com"}))
    user_adc = tmp_path / "gcloud"
    user_adc.mkdir()
    (user_adc / "application_default_credentials.json").write_text(json.dumps(
        {"type": "authorized_user", "refresh_token": values["refresh"], "client_secret": values["client_secret"]}))
    aws_file = tmp_path / "aws-credentials"
    aws_file.write_text(f"[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = {values['aws_file']}\n")
    env = {
        "AWS_SECRET_ACCESS_KEY": values["aws_secret"], "AWS_SESSION_TOKEN": values["aws_token"],
        "SNOWFLAKE_PASSWORD": values["sf_env"], "SNOWFLAKE_CONNECTIONS_PROD_PASSWORD": values["sf_named_env"],
        "SNOWFLAKE_HOME": str(sf_home), "GOOGLE_APPLICATION_CREDENTIALS": str(adc), "CLOUDSDK_CONFIG": str(user_adc),
        "AWS_SHARED_CREDENTIALS_FILE": str(aws_file), "HOME": str(tmp_path),
    }
    return {"env": env, **values}  # type: ignore[dict-item]


def test_every_credential_source_is_collected_and_scrubbed(environ) -> None:
    redact.collect(environ["env"])
    secrets_ = [v for k, v in environ.items() if k != "env"] + PEM_BODY
    text = "\n".join(f"before {s} after" for s in secrets_)
    scrubbed = redact.scrub(text)
    assert not [s for s in secrets_ if s in scrubbed]
    assert scrubbed.count("before *** after") == len(secrets_)


def test_escaped_forms_are_scrubbed_too(environ) -> None:
    redact.collect(environ["env"])
    doc = json.dumps({"private_key": PEM})  # the key as a JSON string: newlines escaped
    assert PEM_BODY[0] not in redact.scrub(doc) and PEM_BODY[0] not in redact.scrub(repr(PEM))
    quoted = "password=" + environ["sf_password"].replace("CANARY", "CANARY")
    assert environ["sf_password"] not in redact.scrub(quoted)


def test_public_dummies_and_short_values_are_not_secrets() -> None:
    redact.collect({"AWS_SECRET_ACCESS_KEY": "fedkit-sandbox", "SNOWFLAKE_PASSWORD": "fakesnow",
                    "AWS_SESSION_TOKEN": "testing", "HOME": "/nonexistent"})
    text = "export AWS_SECRET_ACCESS_KEY='fedkit-sandbox' # fakesnow (Snowflake) testing"
    assert redact.scrub(text) == text


def test_connector_kwargs_are_remembered_with_the_key_file_they_name(tmp_path: Path) -> None:
    redact.collect({"HOME": "/nonexistent"})
    key = tmp_path / "k.p8"
    key.write_text(PEM)
    password = canary("kw")
    redact.remember_from({"account": "acme", "password": password, "private_key_file": str(key),
                          "session_parameters": {"TIMEZONE": "UTC"}})
    assert redact.scrub(f"{password} {PEM_BODY[1]} acme UTC") == "*** *** acme UTC"


def test_stream_scrubs_a_secret_split_over_writes_of_one_line() -> None:
    secret = canary("split")
    redact.collect({"AWS_SECRET_ACCESS_KEY": secret, "HOME": "/nonexistent"})
    sink = io.StringIO()
    stream = redact.RedactingStream(sink)
    stream.write("key: " + secret[:10])
    stream.write(secret[10:] + " end\nnext ")
    assert sink.getvalue() == "key: *** end\n"
    stream.flush()
    assert sink.getvalue() == "key: *** end\nnext "
    with pytest.raises(TypeError):
        stream.write(b"bytes")  # type: ignore[arg-type]


def test_secret_env_names_for_the_sandbox_children() -> None:
    env = {"AWS_SECRET_ACCESS_KEY": "x", "SNOWFLAKE_CONNECTIONS_PROD_TOKEN": "y", "SNOWFLAKE_ACCOUNT": "acme",
           "PATH": "/bin"}
    assert sorted(redact.secret_env_names(env)) == ["AWS_SECRET_ACCESS_KEY", "SNOWFLAKE_CONNECTIONS_PROD_TOKEN"]


# -- the CLI edge: whatever an SDK puts in an error, a traceback or a log line, the secret does not get out --------


@pytest.fixture
def leaky(monkeypatch: pytest.MonkeyPatch):
    """`fedkit gold sample` fails the way an SDK error that embeds connection kwargs or a request body would."""
    import toolkit.gold.sample

    secret = canary("cli")
    monkeypatch.setenv("SNOWFLAKE_PASSWORD", secret)

    def broken(*args: object, **kwargs: object) -> None:
        logging.getLogger("snowflake.connector.network").warning("retrying login with {'password': '%s'}", secret)
        raise RuntimeError(f"connect failed for {{'user': 'me', 'password': '{secret}'}}")

    monkeypatch.setattr(toolkit.gold.sample, "write_sample", broken)
    return secret


def test_unexpected_error_and_log_lines_never_show_a_secret(cli, leaky: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # As in a process where nothing configured logging: records reach stderr through logging.lastResort. An earlier
    # test may have imported snowflake.connector, which hangs a NullHandler on its logger (that would swallow the
    # record) and masks secrets its own way (`'****`), so only the scrubbed line's start is pinned.
    for name in ("", "snowflake", "snowflake.connector", "snowflake.connector.network"):
        monkeypatch.setattr(logging.getLogger(name), "handlers", [])
    result = cli("gold", "sample", "--out", "x")
    assert result.exit_code == 1
    assert leaky not in result.stderr + result.stdout
    assert "error: unexpected RuntimeError: connect failed for {'user': 'me', 'password': '***'}" in result.stderr
    assert "retrying login with {'password': '***" in result.stderr  # the SDK's log record, scrubbed


def test_verbose_traceback_never_shows_a_secret(cli, leaky: str) -> None:
    result = cli("--verbose", "gold", "sample", "--out", "x")
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr and "RuntimeError" in result.stderr
    assert leaky not in result.stderr + result.stdout and "'password': '***'" in result.stderr


def test_fedkit_error_messages_are_scrubbed(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.errors import CloudError
    import toolkit.gold.sample

    secret = canary("err")
    monkeypatch.setenv("AWS_SESSION_TOKEN", secret)

    def broken(*args: object, **kwargs: object) -> None:
        raise CloudError(f"request failed: X-Amz-Security-Token={secret}")

    monkeypatch.setattr(toolkit.gold.sample, "write_sample", broken)
    result = cli("gold", "sample", "--out", "x")
    assert result.exit_code == 1 and result.stderr.strip() == "error: request failed: X-Amz-Security-Token=***"


def test_fedkit_never_turns_on_sdk_debug_logging(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers = list(root.handlers)
    assert cli("--verbose", "gold", "sample", "--out", "x", "--orders", "5").exit_code == 0
    for name in ("botocore", "boto3", "urllib3", "snowflake.connector", "google.auth"):
        assert logging.getLogger(name).getEffectiveLevel() > logging.DEBUG, name
    assert root.handlers == handlers  # fedkit installs no handler of its own (the streams do the scrubbing)
    source = "\n".join(p.read_text() for p in Path(redact.__file__).parent.rglob("*.py"))
    for switch in ("set_stream_logger", "basicConfig(", "debuglevel", "logging.DEBUG"):
        assert switch not in source, switch


def test_snowflake_connect_remembers_its_kwargs_and_its_error_never_carries_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import snowflake.connector

    from toolkit.engines.snowflake_connect import connect
    from toolkit.errors import EngineUnavailable

    redact.collect({"HOME": "/nonexistent"})
    secret = canary("conn")

    def refuse(**kwargs: object) -> None:
        raise snowflake.connector.errors.OperationalError(msg=f"login failed with {kwargs}")

    monkeypatch.setattr(snowflake.connector, "connect", refuse)
    with pytest.raises(EngineUnavailable) as err:
        connect({"account": "acme", "user": "me", "password": secret})
    assert secret not in err.value.message and "'password': '***'" in err.value.message
    assert redact.scrub(f"x {secret} y") == "x *** y"  # remembered for the rest of the command


def test_sandbox_servers_never_inherit_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto and fakesnow log to .fedkit/logs: a server that never holds the user's credentials cannot log them."""
    from toolkit.sandbox.manager import _child_env

    values = {name: canary(name) for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "SNOWFLAKE_PASSWORD",
                                              "SNOWFLAKE_CONNECTIONS_PROD_PRIVATE_KEY_FILE_PWD")}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    env = _child_env()
    assert not set(values) & set(env) and not set(values.values()) & set(env.values())
    assert env["MOTO_ACCOUNT_ID"] and env["PATH"] == os.environ["PATH"]


def test_files_under_fedkit_home_are_scrubbed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.config import Config, LoadedConfig
    from toolkit.engines.bigquery_sandbox import BigQuerySandboxEngine, state_path
    from toolkit.sandbox.state import state_file, write_state

    secret = canary("file")
    monkeypatch.setenv("FEDKIT_HOME", str(tmp_path))
    redact.collect({"AWS_SESSION_TOKEN": secret, "HOME": "/nonexistent"})
    write_state({"moto": {"endpoint": f"http://127.0.0.1:1/?X-Amz-Security-Token={secret}"}})
    assert secret not in state_file().read_text() and "Token=***" in state_file().read_text()

    config = Config.model_validate({"gold": {"bucket": "acme-gold", "tables": {"t": {}}}, "bigquery": {"project": "acme-proj"}})
    engine = BigQuerySandboxEngine(LoadedConfig(config=config, path=tmp_path / "f.yaml"))
    with engine._update() as project:
        project["note"] = f"token {secret}"
    assert secret not in state_path().read_text() and "token ***" in state_path().read_text()
