"""`fedkit iam generate`: the IAM documents for a config, as reviewed files (one document per file).

The files hold exactly what `fedkit apply` would write for the identities the config knows (`identities:`).
Unknown identities appear as the placeholders of `toolkit.iam.policies` (which trust nobody and lint clean), so
the committed files are both documentation and a lintable artefact. `--check` compares without writing (for CI).
`--from-live` takes the role, trust and inline policy from what is deployed instead (after `apply` the trust holds
the real identities), in the same stable format; `--check --from-live` says which committed file is behind it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError
from toolkit.iam import policies
from toolkit.iam.glue_policy import glue_apply_policy

if TYPE_CHECKING:
    from toolkit.config import Config, LoadedConfig
    from toolkit.iam.observed import ObservedRole
    from toolkit.planning.identities import Identities

ROLE_FILE = "role.json"
TRUST_FILE = "trust-policy.json"
READ_FILE = "gold-read-policy.json"
SNS_FILE = "sns-topic-policy.json"
GLUE_FILE = "glue-apply-policy.json"  # for the identity running `fedkit apply` (toolkit.iam.glue_policy)
# toolkit.iam.aws_engine_policies: only with athena: / redshift: (a project without them gets the files above only)
ATHENA_FILE = "athena-query-policy.json"  # for the principal that runs Athena queries (Athena runs as its caller)
SPECTRUM_ROLE_FILE = "spectrum-role.json"
SPECTRUM_TRUST_FILE = "spectrum-trust-policy.json"
SPECTRUM_READ_FILE = "spectrum-read-policy.json"
KNOWN_FILES = (ROLE_FILE, TRUST_FILE, READ_FILE, SNS_FILE, GLUE_FILE, ATHENA_FILE, SPECTRUM_ROLE_FILE,
               SPECTRUM_TRUST_FILE, SPECTRUM_READ_FILE)
# what `fedkit iam lint` checks by default
POLICY_FILES = (TRUST_FILE, READ_FILE, SNS_FILE, GLUE_FILE, ATHENA_FILE, SPECTRUM_TRUST_FILE, SPECTRUM_READ_FILE)
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
    glue = glue_apply_policy(config)
    if glue is not None:
        docs[GLUE_FILE] = glue
    docs.update(aws_engine_documents(config))
    return docs


def aws_engine_documents(config: "Config") -> dict[str, dict[str, Any]]:
    """Athena's caller policy and the Redshift Spectrum role's files, for the sections the config has."""
    from toolkit.iam import aws_engine_policies as aep

    docs: dict[str, dict[str, Any]] = {}
    athena = aep.athena_query_policy(config)
    if athena is not None:
        docs[ATHENA_FILE] = athena
    if aep.spectrum_enabled(config):
        docs[SPECTRUM_ROLE_FILE] = {**aep.spectrum_role_settings(config),
                                    "AssumeRolePolicyDocument": SPECTRUM_TRUST_FILE,
                                    "InlinePolicies": {aep.SPECTRUM_INLINE_POLICY: SPECTRUM_READ_FILE}}
        docs[SPECTRUM_TRUST_FILE] = policies.policy(aep.spectrum_trust_statements(config))
        docs[SPECTRUM_READ_FILE] = policies.policy(aep.spectrum_read_statements(config))
    return docs


def live_documents(config: "Config", observed: "ObservedRole") -> dict[str, dict[str, Any]]:
    """The documents with the role, its trust and fedkit's inline policy as deployed (`observed`); the SNS topic
    policy stays the config's. Foreign trust statements are kept: the file says what is deployed."""
    docs = documents_for(config)
    settings = policies.role_settings(config)
    docs[ROLE_FILE] = {
        "RoleName": settings["RoleName"],
        "Path": settings["Path"],
        "Description": observed.description,
        "MaxSessionDuration": observed.max_session_duration,
        "Tags": [{"Key": key, "Value": value} for key, value in observed.tags.items()],
        "AssumeRolePolicyDocument": TRUST_FILE,
        "InlinePolicies": {policies.INLINE_POLICY_NAME: READ_FILE},
    }
    docs[TRUST_FILE] = observed.trust or policies.policy([])
    docs[READ_FILE] = observed.inline_policy or policies.policy([])
    return docs


def rendered(config: "Config", documents: dict[str, dict[str, Any]] | None = None) -> dict[str, str]:
    documents = documents if documents is not None else documents_for(config)
    return {name: policies.render(doc) for name, doc in documents.items()}


def _out_dir(loaded: "LoadedConfig", out_dir: str | Path | None) -> Path:
    return loaded.resolve(out_dir if out_dir is not None else DEFAULT_OUT_DIR)


def write_generated(loaded: "LoadedConfig", out_dir: str | Path | None = None,
                    documents: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Write the files (the config's documents, or `documents`, e.g. the live ones); remove known files this config no
    longer produces. Returns the names written or removed."""
    target = _out_dir(loaded, out_dir)
    files = rendered(loaded.config, documents)
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


def check_generated(loaded: "LoadedConfig", out_dir: str | Path | None = None,
                    documents: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Names of stale files in `out_dir` (missing, different, or no longer generated); empty when up to date.

    Pure apart from reading the folder; `fedkit validate` and `fedkit iam generate --check` call it.
    """
    return sorted(stale_diffs(loaded, out_dir, documents))


def stale_diffs(loaded: "LoadedConfig", out_dir: str | Path | None = None,
                documents: dict[str, dict[str, Any]] | None = None) -> dict[str, str]:
    """Stale file name -> unified diff from the committed text to the wanted one (config's or `documents`)."""
    import difflib

    target = _out_dir(loaded, out_dir)
    files = rendered(loaded.config, documents)
    stale: dict[str, str] = {}
    for name, text in files.items():
        path = target / name
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            stale[name] = "".join(difflib.unified_diff((current or "").splitlines(keepends=True),
                                                       text.splitlines(keepends=True),
                                                       f"{name} (committed)", f"{name} (wanted)"))
    for name in KNOWN_FILES:
        if name not in files and (target / name).exists():
            stale[name] = f"{name}: no longer generated\n"
    return stale


def diff_summary(diff: str, limit: int = 300) -> str:
    """The changed lines of a unified diff on one line (`- old + new`), cut at `limit` characters."""
    changed = [line.rstrip("\n").strip() for line in diff.splitlines()
               if line[:1] in "+-" and not line.startswith(("---", "+++"))]
    text = " ".join(" ".join(line.split()) for line in changed)
    return text if len(text) <= limit else text[: limit - 3] + "..."
