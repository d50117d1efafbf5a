"""Command-line interface: a thin layer over the library.

Each command lives in its own module and registers itself on ``cli`` when imported;
``cli`` imports a command's module when the command is used (``COMMAND_MODULES`` in
``crawler.cli.app``), so that a crawl does not import every other command's dependencies.
"""

from crawler.cli.app import cli

main = cli

__all__ = ["cli", "main"]
