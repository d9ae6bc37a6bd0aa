"""Run what the app queued (the tests' queue is in memory; no consumer runs)."""

from huey.signals import SIGNAL_ERROR

from app.tasks import huey

_errors: list[BaseException] = []


@huey.signal(SIGNAL_ERROR)
def _note_error(signal, task, exc=None):
    _errors.append(exc)


def run_queued_tasks(limit: int = 10_000) -> int:
    """Execute every queued task, and those they queue in turn; returns how many ran.
    Tasks scheduled for later (retries with back-off) stay scheduled. A task that raised
    fails the test here, as it would show in a consumer's log."""
    ran = 0
    _errors.clear()
    while ran < limit and (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    if _errors:
        raise _errors[0]
    return ran


def clear_queue() -> None:
    """Forget whatever an earlier test left queued or scheduled."""
    huey.flush()
