"""No secret leaves fedkit: the secret values in play for this process, and one function that scrubs them from text.

Secrets are collected where fedkit (or an SDK it drives) gets them: the environment (`AWS_SECRET_ACCESS_KEY`,
`AWS_SESSION_TOKEN`, `SNOWFLAKE_PASSWORD`, ...), the Snowflake `connections.toml` (every connection's password,
token, key passphrase, and the private key file it names), the AWS shared credentials file, Google Application
Default Credentials (a service account's private key, a user's refresh token and client secret), and the
connector kwargs fedkit opens a Snowflake session with (`remember_from`). The CLI edge (`toolkit.cli.run`) sends
stdout and stderr through `RedactingStream` for the whole command: text, JSON, error lines, `--verbose`
tracebacks and log records of botocore/urllib3/the Snowflake connector all pass there. Files fedkit writes under
`.fedkit/` go through `scrub` too.

Values shorter than `MIN_LENGTH` are left alone: scrubbing a short word would mangle ordinary output, and no
credential fedkit reads is that short (AWS secret keys are 40 characters, Snowflake passwords at least 8:
https://docs.snowflake.com/en/user-guide/admin-user-management#password-policies). The sandbox's own dummy
credentials are public, so they are never treated as secrets (`fedkit sandbox env` prints them on purpose).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, TextIO

MIN_LENGTH = 8
MASK = "***"
MAX_FILE_BYTES = 256 * 1024  # credential files are small; anything bigger is not one

SECRET_ENV_VARS = (
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "SNOWFLAKE_PASSWORD", "SNOWFLAKE_PASSCODE", "SNOWFLAKE_TOKEN", "SNOWFLAKE_PRIVATE_KEY",
    "SNOWFLAKE_PRIVATE_KEY_FILE_PWD", "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", "PRIVATE_KEY_PASSPHRASE",
    "SNOWFLAKE_OAUTH_CLIENT_SECRET", "GOOGLE_OAUTH_ACCESS_TOKEN", "CLOUDSDK_AUTH_ACCESS_TOKEN",
)
# SNOWFLAKE_CONNECTIONS_<NAME>_<KEY> overrides one key of a connection (toolkit.engines.snowflake_connect).
_CONNECTION_VAR = re.compile(r"^SNOWFLAKE_CONNECTIONS_\w+?_(PASSWORD|PASSCODE|TOKEN|PRIVATE_KEY|PRIVATE_KEY_FILE_PWD|"
                             r"PRIVATE_KEY_PASSPHRASE|OAUTH_CLIENT_SECRET)$")
# Keys whose values are secrets, in connections.toml, connector kwargs, ADC files and AWS credentials files.
SECRET_KEYS = frozenset({
    "password", "passcode", "token", "private_key", "private_key_file_pwd", "private_key_passphrase",
    "private_key_pwd", "oauth_client_secret", "oauth_refresh_token", "refresh_token", "client_secret",
    "aws_secret_access_key", "aws_session_token", "aws_security_token", "secret_key", "session_token",
})
_KEY_FILE_KEYS = ("private_key_file", "private_key_path")

_known: set[str] = set()
_pattern: re.Pattern[str] | None = None


def _public_dummies() -> frozenset[str]:
    from toolkit.sandbox.state import SANDBOX_AWS_CREDENTIALS, SANDBOX_SNOWFLAKE_CREDENTIALS

    return frozenset({*SANDBOX_AWS_CREDENTIALS.values(), *SANDBOX_SNOWFLAKE_CREDENTIALS.values()})


def variants(secret: str) -> set[str]:
    """The ways a secret can show up in text: as is, each line of a multi-line one (a PEM key's body), and escaped
    the way JSON, Python reprs and URLs escape it."""
    from urllib.parse import quote, quote_plus

    found = {secret}
    lines = [line.strip() for line in secret.splitlines()]
    if len(lines) > 1:
        found.update(line for line in lines if not line.startswith("-----"))  # PEM armour lines are not secret
    found.update({json.dumps(secret)[1:-1], repr(secret)[1:-1], quote(secret, safe=""), quote_plus(secret)})
    return {value for value in found if len(value) >= MIN_LENGTH}


def remember(values: Iterable[Any]) -> None:
    """Treat these values as secrets for the rest of this command."""
    global _pattern
    public = _public_dummies()
    added = False
    for value in values:
        if isinstance(value, (bytes, bytearray)):
            value = value.decode("utf-8", "replace")
        if not isinstance(value, str) or value.strip() in public or len(value.strip()) < MIN_LENGTH:
            continue
        for variant in variants(value.strip()) | variants(value):
            if variant not in _known:
                _known.add(variant)
                added = True
    if added:
        _pattern = None


def secrets_in(data: Any) -> list[str]:
    """Values under secret keys anywhere in a mapping (nested tables of connections.toml, ADC JSON) (pure)."""
    found: list[str] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            if str(key).lower() in SECRET_KEYS and isinstance(value, (str, bytes)):
                found.append(value if isinstance(value, str) else value.decode("utf-8", "replace"))
            else:
                found.extend(secrets_in(value))
    elif isinstance(data, (list, tuple)):
        for item in data:
            found.extend(secrets_in(item))
    return found


def remember_from(kwargs: Mapping[str, Any]) -> None:
    """Secrets in connector kwargs (and the private key file they name)."""
    remember(secrets_in(kwargs))
    remember(_key_files(kwargs))


def secret_env_names(environ: Mapping[str, str]) -> list[str]:
    """Names of the variables in `environ` that hold secrets (pure)."""
    return [name for name in environ if name in SECRET_ENV_VARS or _CONNECTION_VAR.match(name)]


def _read_small(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _key_files(data: Any) -> list[str]:
    """The contents of private key files named in a connection (the connector reads them; fedkit never prints them)."""
    found = []
    sections = data.values() if isinstance(data, Mapping) else []
    for section in [data, *sections]:
        if isinstance(section, Mapping):
            for key in _KEY_FILE_KEYS:
                if isinstance(section.get(key), str):
                    text = _read_small(Path(section[key]).expanduser())
                    if text:
                        found.append(text)
    return found


def _from_connections_toml(environ: Mapping[str, str]) -> list[str]:
    import tomllib

    home = environ.get("SNOWFLAKE_HOME")
    folders = [Path(home).expanduser()] if home else []
    folders += [Path.home() / ".snowflake", Path.home() / ".config" / "snowflake"]
    found: list[str] = []
    for folder in folders:
        for name in ("connections.toml", "config.toml"):
            text = _read_small(folder / name)
            if text is None:
                continue
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                continue
            found += secrets_in(data) + _key_files(data) + _key_files(data.get("connections", {}))
    return found


def _from_google_adc(environ: Mapping[str, str]) -> list[str]:
    paths = [Path(environ["GOOGLE_APPLICATION_CREDENTIALS"]).expanduser()] if environ.get("GOOGLE_APPLICATION_CREDENTIALS") else []
    config_dir = environ.get("CLOUDSDK_CONFIG")
    paths.append((Path(config_dir) if config_dir else Path.home() / ".config" / "gcloud")
                 / "application_default_credentials.json")
    found: list[str] = []
    for path in paths:
        text = _read_small(path)
        if text is None:
            continue
        try:
            found += secrets_in(json.loads(text))
        except ValueError:
            continue
    return found


def _from_aws_files(environ: Mapping[str, str]) -> list[str]:
    import configparser

    found: list[str] = []
    for variable, default in (("AWS_SHARED_CREDENTIALS_FILE", "credentials"), ("AWS_CONFIG_FILE", "config")):
        text = _read_small(Path(environ.get(variable) or Path.home() / ".aws" / default).expanduser())
        if text is None:
            continue
        parser = configparser.RawConfigParser()
        try:
            parser.read_string(text)
        except configparser.Error:
            continue
        found += secrets_in({section: dict(parser.items(section)) for section in parser.sections()})
    return found


def collect(environ: Mapping[str, str] | None = None) -> None:
    """Start this command's set of secrets from the environment and the credential files fedkit or its SDKs read."""
    global _pattern
    env = os.environ if environ is None else environ
    _known.clear()
    _pattern = None
    remember(env[name] for name in secret_env_names(env))
    for source in (_from_connections_toml, _from_google_adc, _from_aws_files):
        try:
            remember(source(env))
        except Exception:  # a credential file fedkit cannot parse is the SDK's problem to report, not ours
            continue


def scrub(text: str) -> str:
    """`text` with every known secret replaced by `***`."""
    global _pattern
    if not _known or not text:
        return text
    if _pattern is None:
        _pattern = re.compile("|".join(re.escape(v) for v in sorted(_known, key=len, reverse=True)))
    return _pattern.sub(MASK, text)


class RedactingStream:
    """A text stream that scrubs what passes through it, a line at a time (a secret split over two writes of one
    line is still caught); `flush` passes on what is pending (progress bars, prompts)."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._pending += text
        head, newline, tail = self._pending.rpartition("\n")
        if newline:
            self._pending = tail
            self._stream.write(scrub(head + newline))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, ""
            self._stream.write(scrub(pending))
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        if name == "rich_proxied_file":  # rich would write to the proxied file directly, past this stream
            raise AttributeError(name)
        return getattr(self._stream, name)


@contextlib.contextmanager
def redacted_output() -> Iterator[None]:
    """For one CLI command: collect the secrets in play and scrub them from everything written to stdout/stderr."""
    collect()
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(out), RedactingStream(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        sys.stdout, sys.stderr = out, err
