"""Template attacks through `fedkit validate`, as CI runs it on a pull request: in a KPI file and in a registration
DDL template. Each ends in exit 2 with one stderr line naming the file, within 2 s of CPU; nothing runs (no marker
file), and no environment value or file content reaches any output."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# {marker}: a file the payload would create; {secret}: a file whose content must never be shown.
ATTACKS = {
    "issue_payload": "{{ cycler.__init__.__globals__.os.popen('id > {marker}').read() }}",
    "joiner_globals": "{{ joiner.__init__.__globals__.os.system('touch {marker}') }}",
    "namespace_globals": "{{ namespace.__init__.__globals__['os'].system('touch {marker}') }}",
    "lipsum_globals": "{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}",
    "range_subclasses": "{{ range.__class__.__mro__[1].__subclasses__() }}",
    "dict_subclasses": "{{ dict.__mro__[1].__subclasses__() }}",
    "ref_globals": "{{ ref.__globals__['os'].environ['FEDKIT_CANARY'] }}",
    "helper_globals": "{{ sf_stage_ref.__globals__['os'].system('touch {marker}') }}",
    "string_literal_mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "number_literal_base": "{{ (1).__class__.__base__.__subclasses__() }}",
    "attr_filter": "{{ ''|attr('__class__')|attr('__mro__') }}",
    "format_fields": "{{ '{0.__init__.__globals__[os].environ}'.format(cycler) }}",
    "self_reference": "{{ self.__init__.__globals__ }}",
    "config_name": "{{ config.items() }}",
    "request_builtins": "{{ request.application.__globals__.__builtins__.open('{secret}').read() }}",
    "environ_read": "{{ cycler.__init__.__globals__.os.environ['FEDKIT_CANARY'] }}",
    "open_file": "{{ open('{secret}').read() }}",
    "import_builtin": "{{ lipsum.__globals__.__builtins__.__import__('subprocess').run(['touch', '{marker}']) }}",
    "range_loop": "{% for i in range(10**9) %}x{% endfor %}",
    "nested_loops": "{% for a in 'x' * 5000 %}{% for b in 'x' * 5000 %}{% for c in 'x' * 5000 %}"
                    "{% endfor %}{% endfor %}{% endfor %}",
    "string_times_huge": "{{ 'a' * 10**9 }}",
    "power_tower": "{{ 9**(9**9) }}",
    "macro_recursion": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
    "doubling": "{% set s = 'ab' %}" + "{% set s = s ~ s %}" * 40 + "{{ s }}",
    "percent_format": "{{ '%0999999999d' % 1 }}",
    "include_file": "{% include '{secret}' %}",
    "include_passwd": "{% include '/etc/passwd' %}",
    "import_template": "{% import '{secret}' as x %}{{ x }}",
    "from_import": "{% from '{secret}' import x %}{{ x }}",
    "extends_template": "{% extends '{secret}' %}",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The repository's config over freshly generated sample gold data."""
    from toolkit.gold.sample import write_sample

    root = tmp_path_factory.mktemp("attacks")
    write_sample(root / "gold", orders=50)
    text = (REPO / "config" / "federation.yaml").read_text(encoding="utf-8")
    config = root / "federation.yaml"
    config.write_text(text.replace("local_dir: .fedkit/gold", f"local_dir: {root / 'gold'}"), encoding="utf-8")
    return config


@pytest.fixture
def canaries(tmp_path, monkeypatch):
    """(marker path, secret file path, the values that must never be printed)."""
    env_value, file_value = f"env-{secrets.token_hex(8)}", f"file-{secrets.token_hex(8)}"
    monkeypatch.setenv("FEDKIT_CANARY", env_value)
    secret = tmp_path / "secret.txt"
    secret.write_text(file_value + "\n", encoding="utf-8")
    return tmp_path / "pwned", secret, (env_value, file_value, "root:x:0:0")


def _payload(text: str, marker: Path, secret: Path) -> str:
    return text.replace("{marker}", str(marker)).replace("{secret}", str(secret))


def _assert_refused(result, file: Path, line: int, marker: Path, never: tuple[str, ...]) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and f"{file}:{line}: template error:" in lines[0], result.stderr
    assert not marker.exists()
    for value in never:
        assert value not in result.stdout and value not in result.stderr


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_kpi_attack(attack, cli, project, canaries, tmp_path, budget):
    marker, secret, never = canaries
    kpi = tmp_path / "attack.sql"
    kpi.write_text(f"-- name: attack\nSELECT 1 AS x\n{_payload(ATTACKS[attack], marker, secret)}\n", encoding="utf-8")
    with budget(2.0):  # CPU seconds: the issue's bound, on a machine that may be running other work
        result = cli("validate", "-c", str(project), str(kpi))
    _assert_refused(result, kpi, 3, marker, never)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_ddl_template_attack(attack, cli, project, canaries, tmp_path, monkeypatch, budget):
    import toolkit.sql.ddl as ddl

    marker, secret, never = canaries
    # A pull request's template is a project's own sql/ddl/<engine>/ file, which overrides fedkit's.
    monkeypatch.chdir(tmp_path)
    stage = Path("sql") / "ddl" / "snowflake" / "stage.sql.j2"
    stage.parent.mkdir(parents=True)
    stage.write_text(_payload(ATTACKS[attack], marker, secret) + "\n"
                     + (ddl.TEMPLATE_DIR / "snowflake" / "stage.sql.j2").read_text(encoding="utf-8"), encoding="utf-8")
    with budget(2.0):
        result = cli("validate", "-c", str(project), str(stage))
    _assert_refused(result, stage, 1, marker, never)


def test_the_issue_payload_creates_nothing(cli, project, tmp_path):
    marker = tmp_path / "FILE"
    kpi = tmp_path / "kpi.sql"
    kpi.write_text("SELECT 1 AS x\nFROM {{ cycler.__init__.__globals__.os.popen('id > %s').read() }}\n" % marker,
                   encoding="utf-8")
    result = cli("validate", "-c", str(project), str(kpi))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {kpi}:2: template error: a call other than ref() is not allowed; a KPI file may use Jinja only "
        "for {{ ref('table') }} (a quoted table name) and {# comments #}"
    ]
    assert not marker.exists()
