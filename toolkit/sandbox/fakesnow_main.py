"""The sandbox's Snowflake: fakesnow's HTTP server with its databases kept as files under `--db-path`.

Run as `python -m toolkit.sandbox.fakesnow_main --port P --db-path DIR` (what `fedkit sandbox up` starts).

fakesnow's server shares one in-memory DuckDB between sessions unless a session passes `FAKESNOW_DB_PATH`, and then
every login opens its own DuckDB on the same files (two writers of one file in one process do not mix). Here the
shared instance itself is made persistent instead: every client shares one DuckDB whose Snowflake databases are
`DIR/<DATABASE>.db` files, so what one session creates the next one sees, and it survives a restart.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
from pathlib import Path


def _attach_existing(fs: object, db_path: Path) -> list[str]:
    """Re-attach the databases of an earlier run, so `SHOW DATABASES` and fully-qualified names work at once."""
    names = []
    for db_file in sorted(db_path.glob("*.db")):
        name = db_file.stem
        if not name.isidentifier():
            continue
        connection = fs.connect(database=name)  # type: ignore[attr-defined]
        connection.close()
        names.append(name)
    return names


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m toolkit.sandbox.fakesnow_main", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db-path", type=Path, required=True, help="folder for the database files (created)")
    args = parser.parse_args(argv)

    import warnings

    import uvicorn

    import fakesnow.server
    from fakesnow.instance import FakeSnow
    from fakesnow.transforms import stage

    # fakesnow reads DuckDB results through the DB-API on every query; DuckDB warns each time. Not our users' concern.
    warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
    db_path: Path = args.db_path.absolute()
    db_path.mkdir(parents=True, exist_ok=True)
    fakesnow.server.shared_fs = FakeSnow(db_path=db_path)
    attached = _attach_existing(fakesnow.server.shared_fs, db_path)
    print(f"fakesnow: databases in {db_path}: {', '.join(attached) or '(none yet)'}", flush=True)

    config = uvicorn.Config(fakesnow.server.app, host=args.host, port=args.port, log_level="info", access_log=False)
    server = uvicorn.Server(config)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it: make that an orderly exit so the databases close.
    signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        server.run()
    except SystemExit:
        pass
    finally:
        fakesnow.server.shared_fs.duck_conn.close()
        # Files PUT to internal stages live in a temporary folder fakesnow made at import; stages are not persistent.
        shutil.rmtree(stage.LOCAL_BUCKET_PATH, ignore_errors=True)
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
