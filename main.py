"""OCOP Desktop entry point: the GUI by default, headless subcommands otherwise (``--help``)."""

from __future__ import annotations

import sys

from ocop_desktop.cli.main import build_parser, run_command, wants_gui
from ocop_desktop.infra.paths import resolve_data_dir


def main() -> int:
    args = build_parser().parse_args()
    if wants_gui(args):
        from ui.app import run_gui

        return run_gui(resolve_data_dir(args.data_dir), verbose=args.verbose)
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
