"""Benchmarks: `make bench`. See bench/README.md."""
