"""Benchmarks that print ratios (never timed assertions): `python -m bench` runs them all, `python -m bench NAME` one."""
