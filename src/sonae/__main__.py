"""`python -m sonae` is the `sonae` command (used where the entry point script is not on PATH)."""

from sonae.cli import main

main(prog_name="sonae")
