"""Benchmarks of the scoring engine: a synthetic national index, a loop-based reference, timings.

Not part of the installed package; run them from the repository root (see ``README.md``).
"""
