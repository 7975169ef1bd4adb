"""Benchmarks (not part of `make test`): `make bench` runs them all and writes RESULTS.md."""
