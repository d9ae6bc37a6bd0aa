"""Memory of the gunicorn master and its two workers at peak, under load.

Target (issue 21): Palliare's master and two workers at most 200 MiB PSS together at peak
under the lesson and cohort loads (8 keep-alive clients, SQLite, bench/cohort_matrix.py's
data). For scale, the same figure for a hello-world Flask under the same gunicorn settings,
bare and importing every third-party module a Palliare worker imports.

RSS counts every page a process maps; PSS shares the pages that processes share among
them (the libraries, what the master loaded before forking), so PSS summed over the
processes is what the server really takes. Both are sampled from /proc/<pid>/smaps_rollup
every 0.2 s during the load (bench/http_load.py); the peak is the largest sum.

This is the one place for Palliare's memory figures (bench/lesson_floor.py measures speed
only). gunicorn runs with deploy/gunicorn.conf.py and the ``Environment=`` of
deploy/palliare-web.service, as in production; a variable set when running this is passed
on too (``MALLOC_ARENA_MAX=2 python memory.py`` measures glibc tuning before it goes into
the unit). Also printed, apart from the target: the peak while learners sign in at once
(Argon2id takes 64 MiB per password check, for ~50 ms).
"""

import os
import sys
import tempfile
import threading
from pathlib import Path

from http_load import (
    Gunicorn,
    PeakMemory,
    deploy_environment,
    hello_app,
    load,
    load_average,
    sign_in,
    sqlite_url,
)
from tail_latency import PASSWORD, prepare

TARGET_MIB = 200
CLIENTS, WORKERS = 8, 2
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))


SIGN_INS = 4


def sign_ins(server: Gunicorn, email: str):
    """The servers' peak memory while ``SIGN_INS`` sign-ins run at once, twice."""
    with PeakMemory(server, interval=0.02) as sampled:
        for _round in range(2):
            threads = [
                threading.Thread(target=sign_in, args=(server, email, PASSWORD))
                for _ in range(SIGN_INS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    return sampled.peak


def main() -> int:
    print(f"{WORKERS} gunicorn workers × 2 threads, {CLIENTS} keep-alive clients; {load_average()}")
    tuning = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}
    print(f"environment: {deploy_environment() | tuning}")
    folder = Path(tempfile.mkdtemp(prefix="palliare-memory-"))
    url = sqlite_url(folder)
    lesson, cohort, learner = prepare(url)

    # The sign-ins below would pass the production limit (10 a minute from one address).
    with Gunicorn(url, workers=WORKERS, env={"LOGIN_RATE_LIMIT": "10000 per minute"}) as server:
        idle = server.memory()
        signing_in = sign_ins(server, learner)
        runs = {
            "lesson page": load(
                server, lesson, cookie=sign_in(server, learner, PASSWORD),
                clients=CLIENTS, seconds=SECONDS,
            ),
            "500-learner cohort page": load(
                server, cohort, cookie=sign_in(server, "trainer@example.org", PASSWORD),
                clients=CLIENTS, seconds=SECONDS,
            ),
        }  # fmt: skip
    print(f"Palliare at rest after start-up: {idle.line()}")
    for page, result in runs.items():
        print(
            f"Palliare under the {page} load: {result.memory.line()} at peak "
            f"(RSS/PSS of master, workers: {result.memory.processes_line()}); "
            f"{result.rps:.0f} requests/s, {result.restarts} worker restarts"
        )
    peak = max((r.memory for r in runs.values()), key=lambda m: m.pss_mib)
    met = peak.pss_mib <= TARGET_MIB
    print(
        f"Palliare peak: {peak.rss_mib:.0f} MiB RSS, {peak.pss_mib:.0f} MiB PSS "
        f"(target ≤ {TARGET_MIB} MiB PSS: {'met' if met else 'MISSED'}, "
        f"ratio {peak.pss_mib / TARGET_MIB:.2f})"
    )

    print(
        f"  while {SIGN_INS} people sign in at once (Argon2id, 64 MiB per check; not part of "
        f"the target): {signing_in.line()} at peak"
    )

    floors = {}
    for label, same in (("bare", False), ("importing Palliare's dependencies", True)):
        with Gunicorn(app=hello_app(same_dependencies=same), workers=WORKERS) as hello:
            floors[label] = load(hello, "/", clients=CLIENTS, seconds=max(3, SECONDS // 2))
        result = floors[label]
        print(
            f"hello-world Flask, {label}: {result.memory.line()} at peak; "
            f"{result.rps:.0f} requests/s, {result.restarts} worker restarts"
        )
    deps = floors["importing Palliare's dependencies"].memory
    print(
        f"Palliare's peak PSS / hello-world's with the same dependencies: "
        f"{peak.pss_mib / deps.pss_mib:.2f} ({peak.pss_mib - deps.pss_mib:.0f} MiB of Palliare's own)"
    )
    print(
        f"lesson page / bare hello-world throughput, same run, {CLIENTS} clients: "
        f"{runs['lesson page'].rps / floors['bare'].rps:.3f} (issue 21's target ≥ 0.15; "
        f"informative here, the lesson benchmark owns it); {load_average()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
