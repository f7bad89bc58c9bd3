"""The serving process's garbage-collector settings (screening.runtime)."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import gc, weakref
from screening import runtime
class Node: pass
kept = [Node() for _ in range(1000)]
runtime.settle()
# after settle: what was alive is frozen, young collections are rarer, cycles still go
a = Node(); b = Node(); a.other, b.other = b, a; ref = weakref.ref(a); del a, b
gc.collect()
print(gc.get_freeze_count() >= 1000, gc.get_threshold() == runtime.GC_THRESHOLDS,
      ref() is None)
"""


def test_settle_freezes_the_loaded_objects_and_still_collects_cycles() -> None:
    # In a child process: the settings are process-wide and must not leak into the tests.
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "True", "True"]
