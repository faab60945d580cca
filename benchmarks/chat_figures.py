"""The chat load's figures from raw samples: percentiles, slow seconds, memory slopes."""


def slow_seconds(deliveries: list[tuple[float, float]], start: float) -> list[list]:
    """The seconds of the run (by send time) holding deliveries over 50 ms:
    ``[second, deliveries over 50 ms, worst ms]``, worst first, at most 5. A few
    clustered seconds point at a stall (disk, CPU steal), not a steady queue."""
    buckets: dict[int, list[float]] = {}
    for sent, latency in deliveries:
        if latency > 50:
            buckets.setdefault(int(sent - start), []).append(latency)
    worst = sorted(buckets.items(), key=lambda kv: -max(kv[1]))[:5]
    return [[second, len(values), round(max(values), 1)] for second, values in worst]


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def _slope_mib_per_minute(series: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of ``(seconds, MiB)`` samples, in MiB per minute."""
    if len(series) < 3:
        return None
    n = len(series)
    mean_t = sum(t for t, _ in series) / n
    mean_m = sum(m for _, m in series) / n
    var = sum((t - mean_t) ** 2 for t, _ in series)
    if var == 0:
        return None
    cov = sum((t - mean_t) * (m - mean_m) for t, m in series)
    return round(cov / var * 60, 3)


def memory_summary(series: list[tuple[float, float]], warmup: float) -> dict:
    if not series:
        return {}
    values = [m for _, m in series]
    return {
        "start_mib": values[0], "end_mib": values[-1], "max_mib": max(values),
        "slope_mib_per_min_after_warmup": _slope_mib_per_minute(
            [(t, m) for t, m in series if t >= warmup]),
        "series_mib": values,
    }
