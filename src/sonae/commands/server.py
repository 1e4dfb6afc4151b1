"""Placeholder replaced by the server commands (up, worker, backup, restore)."""

commands = []
