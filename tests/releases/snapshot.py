"""The contents of an installation as plain JSON: every row of every model, and every uploaded file.

Made by the release fixture scripts with the old version's code (tests/fixtures/releases/<version>/build.py)
and by tests/releases/test_upgrades.py with the current code, and compared field by field. It uses only
Django's own serialisation, so it runs unchanged under every sonae version. Foreign keys are written as
natural keys where the model has one (content types, permissions, users), so a restore that renumbers
content types still compares equal.

    python snapshot.py OUTPUT.json    (Django configured by SONAE_DATA_DIR / DATABASE_URL as for sonae)
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import sys
import uuid
from pathlib import Path


def _plain(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def snapshot() -> dict:
    from django.apps import apps
    from django.conf import settings
    from django.core import serializers

    rows = {}
    for model in apps.get_models():
        objects = serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        rows[model._meta.label] = {str(obj["pk"]): _plain(obj["fields"]) for obj in objects}
    media = Path(settings.DATA_DIR) / "media"
    files = {}
    if media.is_dir():
        for path in sorted(media.rglob("*")):
            if path.is_file():
                files[path.relative_to(media).as_posix()] = {
                    "size": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                }
    return {"rows": rows, "files": files}


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonae.settings")
    import django

    django.setup()
    Path(sys.argv[1]).write_text(json.dumps(snapshot(), ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
