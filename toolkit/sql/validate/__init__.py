"""`fedkit validate`: every SQL file parsed, compiled and resolved against the gold schema on every engine, offline.

Public entry points:
- `validate(loaded, paths=(), *, engines=None, online=False, jobs=None, catalog=None, on_result=None) -> Report`
- `Report` / `Result` (plain data; `Report.to_json()` is the `--output json` document)
- `render.to_json / to_junit / to_github / summary` (text for machines)
"""

from toolkit.sql.validate.model import Report, Result
from toolkit.sql.validate.runner import validate

__all__ = ["Report", "Result", "validate"]
