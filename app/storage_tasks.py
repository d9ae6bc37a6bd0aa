"""Background tasks of the file store (see app/tasks.py)."""
