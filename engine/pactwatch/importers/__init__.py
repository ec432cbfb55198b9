"""Getting real evidence in: case folders, mail, monitoring exports, status pages → events."""

from .casefolder import CaseFolder, init_case, open_case
from .result import ImportResult

__all__ = ["CaseFolder", "ImportResult", "init_case", "open_case"]
