#!/usr/bin/env bash
# Refresh the English catalogue from the Japanese source strings, then compile it.
# Scans src/sonae only (templates and Python; not .venv, tests or bench). Needs GNU gettext
# (Debian: apt-get install gettext). The compiled .mo is committed, so running sonae never needs gettext.
# After running: translate every new or `#, fuzzy` entry in src/sonae/locale/en/LC_MESSAGES/django.po,
# run this script again to compile, and commit django.po and django.mo (tests/test_translations.py checks both).
set -euo pipefail
command -v msgfmt >/dev/null || { echo "GNU gettext is missing (apt-get install gettext)" >&2; exit 1; }
cd "$(dirname "$0")/../src/sonae"
uv run django-admin makemessages --settings=sonae.settings -l en --no-obsolete --add-location file
uv run django-admin compilemessages --settings=sonae.settings -l en
# e.g. "837 translated messages, 3 fuzzy translations, 2 untranslated messages."
msgfmt --statistics -o /dev/null locale/en/LC_MESSAGES/django.po
