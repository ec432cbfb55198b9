"""Where the bundled rule library lives: inside the wheel, or beside the source tree."""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir"]


def data_dir() -> Path:
    """``pactwatch/_data/rules`` in an installed wheel; the repo's ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "_data" / "rules"
    if installed.is_dir():
        return installed
    return here.parent.parent / "rules"
