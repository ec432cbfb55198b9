"""Command-line entry point: thin wrappers over the public API.

Exit codes: 0 = no violations, 1 = violations found, 2 = input or usage error,
3 = internal error (a bug: please report it with the input that caused it).
"""

from __future__ import annotations

import os
import sys

from rich.markup import escape

from . import cases, evaluate, library, policy, review  # noqa: F401 - importing registers the commands
from .app import EXIT_INTERNAL, app, err

__all__ = ["app", "run"]


def run() -> None:
    """Console-script entry: no traceback for user errors; internal errors exit 3."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("PACTWATCH_DEBUG"):
            raise
        err.print(f"[red]internal error[/]: {escape(type(exc).__name__)}: {escape(str(exc))}\n"
                  "This is a bug in pactwatch. Re-run with PACTWATCH_DEBUG=1 for the traceback and report it.")
        sys.exit(EXIT_INTERNAL)
