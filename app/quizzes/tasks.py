"""Background tasks of this feature (see app/tasks.py)."""
