"""The command line: ``main.py [--data-dir DIR] COMMAND``. One module per noun registers its own
subcommands and handlers (installation, reports, registry, evaluation, printing, keys, sync, audit);
``main`` holds the global options and the error funnel. Errors the user can fix print in Vietnamese
and exit 2.
"""

from ocop_desktop.cli.main import build_parser, run_command, wants_gui

__all__ = ["build_parser", "run_command", "wants_gui"]
