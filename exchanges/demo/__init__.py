"""Demo data for ``make run`` and benchmarks: a deterministic population and the demo cast."""
