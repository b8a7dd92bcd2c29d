"""Benchmarks that print Veivalg's performance figures; they measure and never assert.

``python -m bench`` runs training, server start and reply latency in turn; each is also
runnable alone (``python -m bench.training``, ``bench.startup``, ``bench.latency``).
See bench/README.md for what each figure means.
"""
