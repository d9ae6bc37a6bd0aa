"""Caches kept in one process (a gunicorn worker): bounded, least recently used first out.

What goes in one must be keyed by everything it depends on, so that it is never stale
and never needs invalidating (the lesson content by its content version, a page fragment
by the viewer's language and roles): a worker that is recycled only builds it again.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock


class BoundedCache:
    """A least-recently-used dict of at most ``size`` entries, safe across threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = Lock()
        self.hits = self.misses = 0

    def get_or_make(self, key: Hashable, make: Callable[[], object]):
        """The value kept for ``key``, else ``make()`` (kept; the oldest entry goes)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = make()  # outside the lock: two threads may both make it, both right
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
