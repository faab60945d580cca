"""Benchmarks and load scripts: each prints one JSON object with its figures and a baseline
measured in the same run (see README.md's "Benchmarks and load tests")."""
