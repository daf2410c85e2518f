"""Parity: prove the compiled KPI suite gives the same rows on every engine (oracles, sampling, comparison)."""
