"""`python -m bench`: run every benchmark module of this folder (each module's `main(argv)`), in name order.

    python -m bench                 # all of them
    python -m bench NAME [ARGS...]  # one, with its own arguments
    python -m bench list            # what exists
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def discover() -> dict[str, str]:
    """{name: first docstring line} of every module in bench/ that defines `main`."""
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if callable(getattr(module, "main", None)):
            found[info.name] = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    return found


def main(argv: list[str]) -> int:
    benchmarks = discover()
    if not argv:
        status = 0
        for name in sorted(benchmarks):
            print(f"== bench {name}", flush=True)
            status = max(status, int(importlib.import_module(f"bench.{name}").main([]) or 0))
            print(flush=True)
        return status
    if argv[0] in ("-h", "--help", "list"):
        print("usage: python -m bench [NAME [ARGS...]]   (no NAME: run them all)\n\nbenchmarks:")
        for name, summary in sorted(benchmarks.items()):
            print(f"  {name:12} {summary}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in benchmarks:
        print(f"unknown benchmark {name!r}; known: {', '.join(sorted(benchmarks))}", file=sys.stderr)
        return 2
    return int(importlib.import_module(f"bench.{name}").main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
