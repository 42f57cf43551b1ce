"""Command-line interface: `vgp SUBCOMMAND ...`.

Each subcommand lives in its own module under vgp/cli/ and exposes
`add_parser(subparsers)` (which registers it and sets `func`) — see `SUBCOMMANDS`.
Errors from bad arguments or bad input print one line on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from vgp import numerics

SUBCOMMANDS = ("profile", "experiment")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The `vgp` argument parser, with every subcommand of `SUBCOMMANDS` that is installed.

    >>> args = build_parser().parse_args(["profile", "--hidden", "4", "--steps", "3"])
    >>> args.command, args.hidden, args.steps, args.fmt
    ('profile', 4, 3, 'table')
    """
    parser = _Parser(prog="vgp", description="The vanishing gradient problem, computed.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"vgp.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"vgp.cli.{name}":
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `vgp` with the arguments `argv` (default: the command line); returns the exit status.

    0 on success; 2 after printing a one-line error to stderr for a bad argument.

    >>> main(["profile", "--hidden", "4", "--steps", "2", "--trials", "1", "--format", "csv"])
    t,log10_norm,norm
    1,-0.083751,8.246e-01
    2,0.000000,1.000e+00
    0
    >>> main(["profile", "--hidden", "0", "--steps", "3"])      # stderr: --hidden must be >= 1
    2
    """
    numerics.enter()     # before torch loads: results as on every x86-64 machine
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, TypeError, KeyError) as exc:
        msg = exc.args[0] if exc.args else exc
        print(f"vgp {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vgp: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
