"""The loop's panel on the dashboard (SONAE_DASHBOARD_PANELS)."""

from sonae.loop.views import dashboard_panel  # noqa: F401
