from __future__ import annotations

import sys
from pathlib import Path

# The test messages live beside the tests (tests run with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))
