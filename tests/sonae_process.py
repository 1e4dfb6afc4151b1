"""Running the `sonae` command as a user does: a real process with its own data folder and environment.

Shared by the CLI, operations and upgrade tests (import as `from sonae_process import ...`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

SONAE = [sys.executable, "-c", "from sonae.cli import main; main()"]
# Variables of the test process that must not leak into a sonae started by a test.
_NOT_INHERITED = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")


def environment(data_dir: Path, **env) -> dict[str, str]:
    result = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    result.update({"SONAE_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **env})
    return result


def run(args, data_dir: Path, timeout=120, **env):
    return subprocess.run(SONAE + list(args), capture_output=True, text=True, timeout=timeout, env=environment(data_dir, **env))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_up(data_dir: Path, port: int, command=None, extra_args=(), **env):
    """Start `sonae up` and wait until /healthz answers; returns the process and what it printed."""
    process = subprocess.Popen(
        (command or SONAE) + ["up", "--port", str(port), *extra_args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment(data_dir, **env),
    )
    lines = []
    deadline = time.monotonic() + 300  # generous: a busy CI machine migrates slowly
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "serving on" in line:
            break
    # Keep reading what the server prints, or a full pipe would block its logging and so its requests.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return process, "".join(lines)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("sonae up did not answer /healthz:\n" + "".join(lines))


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
