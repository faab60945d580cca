"""Freed memory stays in the process during a run and is handed back after it. Callers
apply it (with the collector paused) through matching.process_tuning()."""

import gc
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import matching
from matching import instance_from_dict, malloc_keep, pipeline
from tests.matching.builders import instance, person

_MB = 2**20

# The measurement runs in a fresh interpreter: in a long test process the heap may already
# hold a free chunk big enough for the array, which glibc then serves (and keeps) without
# a fresh mapping, whatever the settings.
_MEASURE = """
import json, os
import numpy as np
from matching import malloc_keep

PAGE, MB = os.sysconf("SC_PAGE_SIZE"), 2**20


def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


def touch_and_drop(mb):
    block = np.ones(mb * MB // 8)
    before = rss()
    del block
    return before - rss()


figures = {"glibc": malloc_keep._libc is not None, "before": touch_and_drop(96)}


@malloc_keep.memory_kept()
def run():
    figures["active_inside"] = malloc_keep.active()
    figures["inside"] = touch_and_drop(96)
    figures["rss_inside"] = rss()


run()
figures["handed_back"] = figures["rss_inside"] - rss()
figures["active_after"] = malloc_keep.active()
figures["after"] = touch_and_drop(96)
print(json.dumps(figures))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_dropped_array_stays_mapped_during_a_run_and_is_returned_after():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE], cwd=root, capture_output=True, text=True, check=True
    )
    figures = json.loads(done.stdout)
    assert figures["glibc"]  # CI runs on glibc: the setting must really apply
    assert figures["before"] > 64 * _MB  # normally unmapped at once
    assert figures["active_inside"]
    assert figures["inside"] < 16 * _MB  # still in the heap, ready for the next array
    assert figures["handed_back"] > 64 * _MB  # handed back when the run ends
    assert not figures["active_after"]
    assert figures["after"] > 64 * _MB  # defaults are back


def test_nested_and_concurrent_runs_share_one_setting():
    seen = []
    gate = threading.Barrier(2)

    @malloc_keep.memory_kept()
    def inner():
        seen.append(malloc_keep.active())

    @malloc_keep.memory_kept()
    def outer():
        gate.wait()
        inner()
        gate.wait()  # both threads are inside before either leaves
        seen.append(malloc_keep.active())

    threads = [threading.Thread(target=outer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [True] * 4
    assert not malloc_keep.active()


def test_a_tuned_run_keeps_memory_and_restores_the_default_even_when_it_fails(monkeypatch):
    seen = []
    real = pipeline._weighted_candidate_graph

    def spy(*args, **kwargs):
        seen.append(malloc_keep.active())
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "_weighted_candidate_graph", spy)
    with pytest.raises(RuntimeError, match="boom"), matching.process_tuning():
        matching.solve(instance_from_dict(instance([person("a", "coventry")])))
    assert seen == [True]
    assert not malloc_keep.active()
    monkeypatch.setattr(pipeline, "_weighted_candidate_graph", real)
    with matching.process_tuning():
        assert matching.solve(instance_from_dict(instance([]))).matched_places == 0


def test_solve_alone_leaves_the_process_settings_as_they_are(monkeypatch):
    seen = []
    real = pipeline._weighted_candidate_graph

    def spy(*args, **kwargs):
        seen.append((malloc_keep.active(), gc.isenabled()))
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_weighted_candidate_graph", spy)
    matching.solve(instance_from_dict(instance([person("a", "coventry")])))
    assert seen == [(False, True)]
