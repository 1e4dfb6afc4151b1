#!/usr/bin/env bash
# Refresh the English catalogue from the Japanese source strings, then compile it.
# Needs GNU gettext (Debian: apt-get install gettext). The compiled .mo is committed,
# so running sonae never needs gettext.
set -euo pipefail
cd "$(dirname "$0")/../src/sonae"
uv run django-admin makemessages --settings=sonae.settings -l en --no-obsolete --ignore "*/e2e/*" --add-location file
uv run django-admin compilemessages --settings=sonae.settings -l en
