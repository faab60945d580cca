"""Jumelage matching engine: plain records in, pairs out. No Django, no database.

    import matching
    with matching.process_tuning():  # process-wide: the caller owns the process
        result = matching.solve(matching.instance_from_dict(json_dict))
    matching.result_to_dict(result)

README.md draws the pipeline and names the module of each step.
"""

from __future__ import annotations

from .errors import InstanceError
from .pipeline import candidate_graph, solve, solve_dict
from .records import (
    Availability,
    Instance,
    Language,
    Pair,
    Participant,
    Period,
    Result,
    SolveStats,
    Window,
    instance_from_dict,
    result_to_dict,
)
from .tuning import process_tuning

__all__ = [
    "Availability",
    "Instance",
    "InstanceError",
    "Language",
    "Pair",
    "Participant",
    "Period",
    "Result",
    "SolveStats",
    "Window",
    "candidate_graph",
    "instance_from_dict",
    "process_tuning",
    "result_to_dict",
    "solve",
    "solve_dict",
]
