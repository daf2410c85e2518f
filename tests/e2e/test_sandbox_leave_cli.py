"""Leaving the sandbox from a real shell: `sandbox env --unset` restores the shell (AWS_PROFILE included), and after
`sandbox down` a command that now reaches the real clouds says so first (issue 12 item 5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FEDKIT = [sys.executable, "-c", "import sys; sys.argv[0] = 'fedkit'; from toolkit.cli import main; main()"]


def _q(argv: list[str]) -> str:
    return " ".join("'" + a.replace("'", "'\"'\"'") + "'" for a in argv)


def test_env_unset_restores_the_shell_and_plan_after_down_names_the_real_cloud_first(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SNOWFLAKE_", "FEDKIT_"))}
    env.update({"FEDKIT_HOME": str(tmp_path / "home"), "AWS_PROFILE": "prod", "AWS_ACCESS_KEY_ID": "AKIAREAL",
                "AWS_SECRET_ACCESS_KEY": "real-secret", "AWS_REGION": "eu-west-1"})
    (tmp_path / "aws-credentials").write_text("[prod]\naws_access_key_id = AKIAREAL\naws_secret_access_key = x\n")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "aws-credentials")
    config = tmp_path / "federation.yaml"
    config.write_text('gold: {bucket: my-own-gold}\naws: {account_id: "210987654321", region: us-east-1, '
                      "role_name: my-reader}\nsnowflake: {database: MINE}\n")
    fedkit = _q([*FEDKIT, "--config", str(config)])
    show = 'echo "profile=${AWS_PROFILE-unset} key=${AWS_ACCESS_KEY_ID-unset} mode=${FEDKIT_MODE-unset}"'
    # After `down`, no network: the "real" AWS is a dead loopback port (the plan fails, after saying where it goes).
    script = f"""set -e
{fedkit} sandbox up >/dev/null
eval "$({fedkit} sandbox env)"
{show}
eval "$({fedkit} sandbox env --unset)"
{show}
{fedkit} sandbox down >/dev/null
AWS_ENDPOINT_URL=http://127.0.0.1:9 FEDKIT_AWS_MAX_ATTEMPTS=1 {fedkit} plan --clouds aws 2>&1 || true
"""
    try:
        done = subprocess.run(["bash", "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    finally:
        subprocess.run([*FEDKIT, "sandbox", "down"], env=env, cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "profile=unset key=fedkit-sandbox mode=sandbox"
    assert lines[1] == "profile=prod key=AKIAREAL mode=unset"
    assert lines[2].startswith("warning: no sandbox runs here any more, but one ran from this project"), lines[2:]
    assert "REAL clouds" in lines[2]
    assert "127.0.0.1:9" in lines[-1] and lines[-1].startswith("error:")  # the step that reached it, then stopped
