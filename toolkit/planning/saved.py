"""Saved plans (`fedkit plan --out plan.json`, `fedkit apply plan.json`), like Terraform's `plan -out`.

The file holds the plan's JSON (what people and scripts review) and what apply needs to tell whether it still
holds: a digest of what each target observed (the gold layer's tables, files and bytes included), the config file's
path and digest, the run's options (--target, --replace; only a digest of --identity, whose values may be an
external id) and the fedkit version. `apply plan.json` re-reads everything first and applies only when all of it
is unchanged; otherwise it refuses (UsageError, exit 2) before any change, naming what moved.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from toolkit.planning.actions import Plan
    from toolkit.planning.pipeline import Context

FORMAT = "fedkit-plan/1"
STALE = "nothing was changed; run `fedkit plan --out` again and review the new plan"


def _canonical(value: Any) -> Any:
    """A JSON-able, order-stable form of an observed state (dataclasses, dicts, sets, datetimes, ...)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def digest(value: Any) -> str:
    text = json.dumps(_canonical(value), sort_keys=True, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()


def options(target: Sequence[str] | None, replace: bool, identity: Sequence[str] | None,
            prune: bool = False) -> dict[str, Any]:
    """The run's options as the saved plan keeps them (the identities only as a digest)."""
    return {"target": sorted(target or []), "replace": bool(replace),
            "identity_digest": digest(sorted(identity or [])) if identity else None, "prune": bool(prune)}


def saved_plan(plan: "Plan", ctx: "Context", opts: dict[str, Any]) -> dict[str, Any]:
    from toolkit import __version__

    return {
        "format": FORMAT,
        "fedkit_version": __version__,
        "config": {"path": str(Path(ctx.loaded.path).resolve()), "digest": file_digest(ctx.loaded.path)},
        "options": opts,
        "observed": {key: digest(state) for key, state in ctx.observed.items()},
        # The plan's own digest, taken before the file is written (writing scrubs known secrets from the text).
        "plan_digest": digest(plan.to_json()),
        "plan": plan.to_json(),
    }


def write_saved(path: Path, data: dict[str, Any]) -> Path:
    """Atomically, owner-only (the diffs name the trusted identities), with known secrets scrubbed as in any output."""
    from toolkit.fsutil import atomic_write
    from toolkit.redact import scrub

    return atomic_write(path, scrub(json.dumps(data, indent=2, sort_keys=True)) + "\n", mode=0o600)


def read_saved(path: Path) -> dict[str, Any]:
    """The saved plan in `path`, checked for shape and version (UsageError naming the file otherwise)."""
    from toolkit import __version__

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such saved plan (write one with `fedkit plan --out {path}`)") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a saved fedkit plan ({type(exc).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"{path}: not a saved fedkit plan (format {FORMAT!r} expected)")
    for key, kind in (("config", dict), ("options", dict), ("observed", dict), ("plan", dict)):
        if not isinstance(data.get(key), kind):
            raise UsageError(f"{path}: not a saved fedkit plan (field {key!r} missing or malformed)")
    if data.get("fedkit_version") != __version__:
        raise UsageError(f"{path}: written by fedkit {data.get('fedkit_version')!r}, this is fedkit {__version__}; "
                         + STALE)
    return data


def check_options(path: Path, saved: dict[str, Any], opts: dict[str, Any]) -> None:
    """--clouds/--replace/--identity/--prune given to `apply PLAN` must be those the plan was made with (a plan made
    with `--prune` prunes when applied: its deletes were reviewed)."""
    flags = (("target", "--clouds"), ("replace", "--replace"), ("identity_digest", "--identity"), ("prune", "--prune"))
    for key, flag in flags:
        if saved["options"].get(key, False if key == "prune" else None) != opts[key]:
            raise UsageError(f"{path}: the plan was made with other {flag} options than this apply's; pass the same "
                             f"ones (or none other than the plan's), or {STALE}")


def check_config(path: Path, saved: dict[str, Any], config_path: Path) -> None:
    config = saved["config"]
    if str(Path(config_path).resolve()) != config.get("path"):
        raise UsageError(f"{path}: the plan was made for the config {config.get('path')}, not {config_path}; " + STALE)
    if file_digest(config_path) != config.get("digest"):
        raise UsageError(f"{path}: the config {config_path} changed since the plan was made; " + STALE)


def check_fresh(path: Path, saved: dict[str, Any], plan: "Plan", ctx: "Context") -> None:
    """What apply observes now must be what the plan observed, and so must the plan itself."""
    now = {key: digest(state) for key, state in ctx.observed.items()}
    before = saved["observed"]
    moved = sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k))
    if moved:
        names = ", ".join(k.split("/", 1)[-1] for k in moved)
        raise UsageError(f"{path}: the clouds changed since the plan was made (observed state of {names} differs: "
                         f"e.g. files published to the bucket, or a role or table changed by hand); {STALE}")
    if digest(plan.to_json()) != saved.get("plan_digest"):
        raise UsageError(f"{path}: the plan made now differs from the saved one; {STALE}")
