"""Run the `sonae` command with the clock moved to a given time (and ticking on from there).

    python tests/clock_run.py 2026-11-27T08:05:00+09:00 worker

For tests that need real processes at a known time (the periodic scheduler looks at the clock when a
consumer starts). Only the wall clock moves (time-machine); time.monotonic, which waitress and Huey use
for their timers, is untouched.
"""

from __future__ import annotations

import datetime as dt
import sys

# time-machine imports pytest when it can (for its fixture), and sonae's settings take a process that
# has pytest loaded for a test run (immediate tasks, temporary data folder): keep it out.
sys.modules["pytest"] = None  # type: ignore[assignment]
import time_machine  # noqa: E402

del sys.modules["pytest"]

if __name__ == "__main__":
    when = dt.datetime.fromisoformat(sys.argv[1])
    with time_machine.travel(when, tick=True):
        from sonae.cli import main

        sys.argv = ["sonae", *sys.argv[2:]]
        main()
