"""Run what the app queued (the tests' queue is in memory; no consumer runs)."""

from app.tasks import huey


def run_queued_tasks(limit: int = 10_000) -> int:
    """Execute every queued task, and those they queue in turn; returns how many ran.
    Tasks scheduled for later (retries with back-off) stay scheduled."""
    ran = 0
    while ran < limit and (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


def clear_queue() -> None:
    """Forget whatever an earlier test left queued or scheduled."""
    huey.flush()
