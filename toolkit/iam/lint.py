"""`fedkit iam lint`: the parliament IAM linter (the real one) plus fedkit's own least-privilege rules.

Kinds of document, told apart by their statements:
- identity policy (no Principal): given to parliament as is;
- resource policy (Principal and Resource, e.g. the SNS topic policy): given to parliament as is;
- trust policy (Principal, no Resource): parliament needs a Resource, so each trust statement is linted with the
  role it protects as Resource (`LINT_ROLE_ARN`); Principal, Action and Condition are then checked by parliament.
Our rules (source "fedkit"): no `*` resource, no wildcard principal, every trust statement has a Condition,
every action explicit and known to parliament's action list.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError

LINT_ROLE_ARN = "arn:aws:iam::000000000000:role/trust-policy-under-lint"
_STAR_ARN = re.compile(r"^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$")


@dataclass(frozen=True)
class LintFinding:
    file: str
    source: str  # "parliament" | "fedkit"
    rule: str
    severity: str
    sid: str
    detail: str

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        return []
    return [s for s in _as_list(document.get("Statement", [])) if isinstance(s, dict)]


def is_trust_policy(document: Any) -> bool:
    statements = _statements(document)
    return bool(statements) and all("Principal" in s and "Resource" not in s for s in statements)


def _detail_line(issue: str, detail: Any, shown: int = 3) -> str:
    """parliament's detail as one short line: lists (e.g. every action `s3:*` expands to) are summarised."""
    if isinstance(detail, str):
        return detail
    if isinstance(detail, (list, tuple)):
        items = [str(item) for item in detail]
        head = ", ".join(items[:shown]) + (f" (+{len(items) - shown} more)" if len(items) > shown else "")
        return f"Resource '*' for {head}" if issue == "RESOURCE_STAR" else head
    return json.dumps(detail, default=str)


def _parliament(document: dict[str, Any], name: str) -> list[LintFinding]:
    import parliament

    findings = []
    try:
        policy = parliament.analyze_policy_string(json.dumps(document), filepath=name)
    except Exception as exc:  # parliament's parser raises on some shapes (e.g. "Statement": "x") instead of reporting
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [LintFinding(name, "parliament", "MALFORMED", "CRITICAL", "", f"not a policy parliament can read: {detail}")]
    for finding in policy.findings:
        enhanced = parliament.enhance_finding(finding)
        location = finding.location if isinstance(finding.location, dict) else {}
        detail = _detail_line(finding.issue, finding.detail)
        findings.append(
            LintFinding(
                file=name,
                source="parliament",
                rule=finding.issue,
                severity=str(enhanced.severity or "").upper(),
                sid=str(location.get("string", "")) if finding.issue == "INVALID_SID" else "",
                detail=(detail or enhanced.title or "").strip(),
            )
        )
    return findings


def _parliament_findings(document: Any, name: str) -> list[LintFinding]:
    if not is_trust_policy(document):
        return _parliament(document, name)
    findings = []
    for stmt in _statements(document):
        single = {"Version": document.get("Version", "2012-10-17"), "Statement": [{**stmt, "Resource": LINT_ROLE_ARN}]}
        sid = str(stmt.get("Sid", ""))
        findings += [LintFinding(**{**f.to_json(), "sid": f.sid or sid}) for f in _parliament(single, name)]
    return findings


def _own_rules(document: Any, name: str, already_unknown: set[str] = frozenset()) -> list[LintFinding]:
    import parliament

    findings: list[LintFinding] = []

    def add(rule: str, sid: str, detail: str, severity: str = "HIGH") -> None:
        findings.append(LintFinding(name, "fedkit", rule, severity, sid, detail))

    trust = is_trust_policy(document)
    for stmt in _statements(document):
        sid = str(stmt.get("Sid", ""))
        for key in ("Resource", "NotResource"):
            for resource in _as_list(stmt.get(key, [])):
                if resource == "*" or _STAR_ARN.match(str(resource)):
                    add("FEDKIT_RESOURCE_STAR", sid, f"{key} {resource!r} grants every resource; name the bucket/prefix")
        principal = stmt.get("Principal", stmt.get("NotPrincipal"))
        if principal == "*" or (isinstance(principal, dict) and "*" in sum((_as_list(v) for v in principal.values()), [])):
            add("FEDKIT_WILDCARD_PRINCIPAL", sid, "a wildcard principal trusts everyone; name the engine identity")
        assumes = any(str(a).lower().startswith("sts:assumerole") for a in _as_list(stmt.get("Action", [])))
        if (trust or ("Principal" in stmt and assumes)) and stmt.get("Effect") == "Allow" and not stmt.get("Condition"):
            add("FEDKIT_TRUST_UNCONDITIONED", sid, "trust statement without a Condition (sub / sts:ExternalId)")
        for action in _as_list(stmt.get("Action", [])) + _as_list(stmt.get("NotAction", [])):
            text = str(action)
            if "*" in text:
                add("FEDKIT_ACTION_WILDCARD", sid, f"action {text!r} is a wildcard; list the actions needed")
                continue
            try:
                parliament.expand_action(text)
            except (parliament.UnknownActionException, parliament.UnknownPrefixException, ValueError):
                if text in already_unknown:  # parliament said so already
                    continue
                add("FEDKIT_UNKNOWN_ACTION", sid, f"action {text!r} is not in the IAM action list")
    if isinstance(document, dict) and not _statements(document):
        add("FEDKIT_NOT_A_POLICY", "", "no Statement: not an IAM policy document")
    return findings


def is_role_document(document: Any) -> bool:
    """`iam/role.json` (role settings, not a policy): nothing for a policy linter to check."""
    return isinstance(document, dict) and "RoleName" in document and "Statement" not in document


def lint_document(document: Any, name: str) -> list[LintFinding]:
    """All findings for one parsed document (parliament's, then ours, minus our duplicates of parliament's)."""
    if is_role_document(document):
        return []
    found = _parliament_findings(document, name)
    reported = " ".join(f.detail for f in found if f.rule in ("UNKNOWN_ACTION", "UNKNOWN_PREFIX")).split()
    return found + _own_rules(document, name, already_unknown=set(reported))


def read_document(path: Path) -> Any:
    """Parse one file; UsageError (exit 2) when it cannot be read or is not JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: file not found")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}")


def lint_files(paths: list[Path]) -> list[LintFinding]:
    """Read every file first (so a bad file fails before any report), then lint each."""
    documents = [(str(path), read_document(path)) for path in paths]
    findings: list[LintFinding] = []
    for name, document in documents:
        findings += lint_document(document, name)
    return findings
