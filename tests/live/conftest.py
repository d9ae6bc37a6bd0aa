"""Tests against committed data, with several connections at once (no rolled-back session)."""

import pytest


@pytest.fixture(autouse=True)
def db():
    """Replace the root fixture: these tests need real commits seen by every connection."""
    return None
