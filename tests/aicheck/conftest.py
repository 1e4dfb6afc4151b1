import pytest

from support import load_fake_upstream

fake_upstream = load_fake_upstream()


@pytest.fixture(scope="module")
def upstream_server():
    with fake_upstream.FakeUpstream(hang_seconds=5.0) as server:
        yield server
