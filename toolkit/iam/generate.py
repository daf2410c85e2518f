"""`fedkit iam generate`: the IAM documents for a config, as reviewed files (one document per file).

The files hold exactly what `fedkit apply` would write for the identities the config knows (`identities:`).
Unknown identities appear as the placeholders of `toolkit.iam.policies` (which trust nobody and lint clean), so
the committed files are both documentation and a lintable artefact. `--check` compares without writing (for CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError
from toolkit.iam import policies

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.planning.identities import Identities

ROLE_FILE = "role.json"
TRUST_FILE = "trust-policy.json"
READ_FILE = "gold-read-policy.json"
SNS_FILE = "sns-topic-policy.json"
KNOWN_FILES = (ROLE_FILE, TRUST_FILE, READ_FILE, SNS_FILE)
POLICY_FILES = (TRUST_FILE, READ_FILE, SNS_FILE)  # what `fedkit iam lint` checks by default
DEFAULT_OUT_DIR = "iam"


def role_document(config: "Config") -> dict[str, Any]:
    settings = policies.role_settings(config)
    return {
        **settings,
        "AssumeRolePolicyDocument": TRUST_FILE,
        "InlinePolicies": {policies.INLINE_POLICY_NAME: READ_FILE},
    }


def documents_for(config: "Config", identities: "Identities | None" = None) -> dict[str, dict[str, Any]]:
    """File name -> document, for the given identities (default: the config's own `identities:`)."""
    from toolkit.planning.identities import from_config

    identities = identities if identities is not None else from_config(config)
    docs = {
        ROLE_FILE: role_document(config),
        TRUST_FILE: policies.trust_policy(config, identities),
        READ_FILE: policies.read_policy(config),
    }
    sns = policies.sns_topic_policy_statements(config)
    if sns:
        docs[SNS_FILE] = policies.policy(sns)
    return docs


def rendered(config: "Config") -> dict[str, str]:
    return {name: policies.render(doc) for name, doc in documents_for(config).items()}


def _out_dir(loaded: "LoadedConfig", out_dir: str | Path | None) -> Path:
    return loaded.resolve(out_dir if out_dir is not None else DEFAULT_OUT_DIR)


def write_generated(loaded: "LoadedConfig", out_dir: str | Path | None = None) -> list[str]:
    """Write the files; remove known files this config no longer produces. Returns the names written or removed."""
    target = _out_dir(loaded, out_dir)
    files = rendered(loaded.config)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {target}: cannot create the folder: {exc.strerror or exc}")
    touched = []
    for name, text in files.items():
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            touched.append(name)
    for name in KNOWN_FILES:
        if name not in files and (target / name).exists():
            (target / name).unlink()
            touched.append(name)
    return touched


def check_generated(loaded: "LoadedConfig", out_dir: str | Path | None = None) -> list[str]:
    """Names of stale files in `out_dir` (missing, different, or no longer generated); empty when up to date.

    Pure apart from reading the folder; `fedkit validate` and `fedkit iam generate --check` call it.
    """
    target = _out_dir(loaded, out_dir)
    files = rendered(loaded.config)
    stale = []
    for name, text in files.items():
        path = target / name
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            stale.append(name)
    stale += [name for name in KNOWN_FILES if name not in files and (target / name).exists()]
    return sorted(stale)
