"""The command line: ``main.py [--data-dir DIR] COMMAND``. Each noun's module registers its own
subcommands; errors the user can fix print in Vietnamese and exit 2.
"""


from ocop_desktop.cli.main import build_parser, run_command, wants_gui

__all__ = ["build_parser", "run_command", "wants_gui"]
