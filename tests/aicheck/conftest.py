import importlib.util
from pathlib import Path

import pytest

# Loaded by path (not via sys.path) so `from conftest import …` elsewhere still finds tests/conftest.py.
_spec = importlib.util.spec_from_file_location("sonae_fake_upstream", Path(__file__).with_name("fake_upstream.py"))
fake_upstream = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fake_upstream)


@pytest.fixture(scope="module")
def upstream_server():
    with fake_upstream.FakeUpstream(hang_seconds=5.0) as server:
        yield server
