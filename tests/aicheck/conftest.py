import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_upstream import FakeUpstream  # noqa: E402


@pytest.fixture(scope="module")
def upstream_server():
    with FakeUpstream(hang_seconds=5.0) as server:
        yield server
