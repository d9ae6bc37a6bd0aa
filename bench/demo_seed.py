"""`flask demo` on a fresh machine: the demo accounts alone (``--size small``, what
`flask demo` did before the programme at real size) against the full demo world.

Target (issue 16): `make run` on a fresh database takes at most 30 s more than before, so
the full world may add at most 30 s to `flask demo`. Each size runs RUNS times on its
own fresh SQLite database (`flask db upgrade && flask courses import` first, not timed),
as a newcomer's `make run` does; the median is compared. Also printed: the rows the
full world adds, per table.

    python demo_seed.py [--runs N]
"""

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT

FLASK = str(Path(sys.executable).with_name("flask"))
TARGET_S = 30
TABLES = (
    "institutions", "users", "cohorts", "cohort_members", "enrolments", "lesson_progress",
    "attempts", "attempt_items", "knowledge_gains", "completions", "certificates",
    "trainer_certifications", "attendances", "conference_attendances",
)  # fmt: skip


def _fresh_database() -> tuple[dict, Path]:
    """A migrated SQLite database with the courses imported; the environment to use it."""
    path = Path(tempfile.mkdtemp(prefix="palliare-bench-")) / "demo.db"
    env = os.environ | {"FLASK_APP": "wsgi.py", "DATABASE_URL": f"sqlite:///{path}"}
    for step in (["db", "upgrade"], ["courses", "import"]):
        subprocess.run([FLASK, *step], cwd=ROOT, env=env, check=True, capture_output=True)
    return env, path


def _seed(size: str) -> tuple[float, dict[str, int]]:
    """Seconds `flask demo --size SIZE` takes, and the rows in the database after it."""
    env, path = _fresh_database()
    started = time.perf_counter()
    subprocess.run(
        [FLASK, "demo", "--size", size], cwd=ROOT, env=env, check=True, capture_output=True
    )
    seconds = time.perf_counter() - started
    with sqlite3.connect(path) as connection:
        rows = {t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    return seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    results = {size: [_seed(size) for _ in range(runs)] for size in ("small", "full")}
    medians = {}
    for size, found in results.items():
        seconds = [s for s, _rows in found]
        medians[size] = statistics.median(seconds)
        print(
            f"flask demo --size {size}: n={runs} median={medians[size]:.1f} s "
            f"min={min(seconds):.1f} s max={max(seconds):.1f} s"
        )
    small, full = results["small"][0][1], results["full"][0][1]
    added = ", ".join(f"{full[t] - small[t]:,} {t}" for t in TABLES if full[t] != small[t])
    print(f"the full world adds: {added}")
    extra = medians["full"] - medians["small"]
    print(f"full minus small: {extra:.1f} s (target at most {TARGET_S} s: {extra / TARGET_S:.2f})")


if __name__ == "__main__":
    main()
