"""The ZetaSQL service never imports the zetasql package's proto model (about 1 s per process, unused: fedkit
speaks raw protobufs), and its errors stay the package's own `ServerError`, whichever module is imported first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

SERVICE_FIRST = """
import sys
from toolkit.sql.zetasql_service import ZetaSQL
zeta = ZetaSQL.get()
found = zeta.analyze("SELECT nope")
assert found is not None and found.message == "Unrecognized name: nope", found
assert zeta.parse("SELECT FROM WHERE") is not None
heavy = sorted(m for m in sys.modules if m.startswith(("zetasql.types", "zetasql.core.local_service", "zetasql.api")))
assert not heavy, heavy
from toolkit.sql.zetasql_wasm import server_error_class, shared_client
import zetasql.core
from zetasql.core.exceptions import ServerError
assert server_error_class() is ServerError is zetasql.core.ServerError
try:
    shared_client().call_raw("ZetaSqlLocalService_Analyze", b"\\xff")
except ServerError:
    pass
else:
    raise AssertionError("a refused request must raise the package's ServerError")
print("ok")
"""

PACKAGE_FIRST = """
from zetasql.core.exceptions import ServerError
from toolkit.sql.zetasql_wasm import install_local_service, server_error_class, shared_client
assert server_error_class() is ServerError
assert install_local_service().wasm_client is shared_client()
print("ok")
"""


def _run(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_the_service_does_not_import_the_proto_model():
    _run(SERVICE_FIRST)


def test_the_package_api_shares_the_client_and_the_error_class():
    _run(PACKAGE_FIRST)
