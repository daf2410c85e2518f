"""What ships for CI: the pre-commit hook manifest and the README's GitHub Actions workflow stay correct."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]


def test_pre_commit_hook_manifest():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= set(hook)  # pre-commit's required keys
    assert hook["id"] == "fedkit-validate" and hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["fedkit", "validate"]
    assert "fedkit = " in (REPO / "pyproject.toml").read_text(encoding="utf-8")  # the entry's console script
    assert hook["pass_filenames"] is False  # the whole project, not only the edited files
    files = re.compile(hook["files"])
    for path in ("sql/kpi/revenue.sql", "sql/ddl/bigquery/dataset.sql.j2", "config/federation.yaml",
                 "iam/role.json", "gold-schema.json"):
        assert files.search(path), path
    assert not files.search("README.md")


def test_readme_workflow_runs_validate_offline_with_the_cache(monkeypatch):
    from toolkit.sql.zetasql_wasm import cache_dir

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### GitHub Actions"):]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)
    workflow = yaml.safe_load(block)
    assert workflow[True] == ["pull_request"] or workflow.get("on") == ["pull_request"]  # YAML 1.1 reads `on` as True
    steps = workflow["jobs"]["validate"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert any(r.startswith("fedkit validate --output github") for r in runs)
    assert not any("secrets." in str(s) or "credentials" in str(s).lower() for s in steps)  # no credentials needed
    cached = [s["with"]["path"] for s in steps if str(s.get("uses", "")).startswith("actions/cache")]
    assert len(cached) == 1
    # on a runner (neither variable set) the compiled ZetaSQL module lands inside the cached folder
    monkeypatch.delenv("FEDKIT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache_dir().is_relative_to(Path(cached[0]).expanduser())
