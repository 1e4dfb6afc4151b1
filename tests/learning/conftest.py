import pytest


@pytest.fixture
def run_maker():
    """A submitted IPA run of an organisation (the same helper the diagnosis tests use)."""
    from assessments.conftest import submitted_run

    return submitted_run
