"""The `sonae` command line: one group, sub-commands from small modules.

Commands that only need the engines (diagnose, check, scan-text, plan) never
set up Django, so they run fast and need no database. Commands that need the
database call `django_setup()` first.
"""

from __future__ import annotations

import importlib
import os

import click

# Each module exposes `commands`: a list of click commands to add to the group.
COMMAND_MODULES = [
    "sonae.commands.server",
    "sonae.commands.catalog",
    "sonae.commands.diagnose",
    "sonae.commands.scan_text",
    "sonae.commands.plan",
    "sonae.commands.check",
    "sonae.commands.support",
    "sonae.commands.advisories",
    "sonae.commands.quiz",
]


def django_setup() -> None:
    """Configure Django for commands that touch the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonae.settings")
    from pathlib import Path

    import django
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    django.setup()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sonae")
def main() -> None:
    """sonae (備え): サイバー攻撃・生成AI・BCPへの備えを支援するツール。"""


for _module_name in COMMAND_MODULES:
    for _command in importlib.import_module(_module_name).commands:
        main.add_command(_command)
