"""Command-line entry point: thin wrappers over the public API.

Exit codes: 0 = no violations, 1 = violations found, 2 = input or usage error,
3 = internal error (a bug: please report it with the input that caused it).
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

from rich.markup import escape

from . import cases, evaluate, library, policy, review, service, watch  # noqa: F401 - importing registers the commands
from .app import EXIT_INPUT, EXIT_INTERNAL, app, err

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
    except MemoryError:
        err.print("[red]out of memory[/]: evaluate fewer cases at once (split the input by vendor or period), "
                  "or give the process more memory; see --max-memory")
        sys.exit(EXIT_INPUT)
    except Exception as exc:
        if os.environ.get("PACTWATCH_DEBUG"):
            raise
        err.print(f"[red]internal error[/]: {escape(type(exc).__name__)}: {escape(str(exc))}\n"
                  f"This is a bug in pactwatch.{escape(_keep_traceback())} Please report it with the input that caused it.")
        sys.exit(EXIT_INTERNAL)


def _keep_traceback() -> str:
    """Write the traceback to a file (a user sees one line, a maintainer gets the whole story)."""
    path = Path(tempfile.gettempdir()) / f"pactwatch-crash-{os.getpid()}.txt"
    try:
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        return " Re-run with PACTWATCH_DEBUG=1 for the traceback."
    return f" The traceback is in {path}."
