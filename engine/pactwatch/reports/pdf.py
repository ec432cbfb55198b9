"""PDF: the HTML report or letter, typeset by WeasyPrint (letters are sent and archived as PDF).

The HTML is the same self-contained page as ``--format html`` (inline CSS and SVG, no remote
resources), so the PDF shows exactly what the browser shows, and vendor text is escaped by the
HTML renderer before it gets here. WeasyPrint is an optional dependency (``pactwatch[pdf]``:
it needs Pango from the system); the same HTML gives the same PDF bytes.
"""

from __future__ import annotations

import logging

from ..errors import PactwatchError, Problem

__all__ = ["to_pdf"]


def to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page; exit 2 with the reason when WeasyPrint is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango libraries are not installed
        raise PactwatchError(Problem("missing-dependency", "PDF output needs WeasyPrint and Pango: "
                                     f"pip install 'pactwatch[pdf]' ({exc})")) from None
    # WeasyPrint warns about CSS it ignores (e.g. :hover); the page is ours, the warnings are noise.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
    return pdf
