"""JUnit XML: one test case per obligation outcome (rule, case, service).

A rule that found nothing is not a pass: only an obligation that arose and was judged met
passes. Violated obligations fail; pending, not assessable, not applicable, exempted and
waived ones are skipped with their reason, so a CI dashboard does not count them as
compliance.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..models.contract import Contract
from ..models.report import Report
from .escaping import xml_text

__all__ = ["render_junit"]


def render_junit(report: Report, contract: Contract, rule_ids: list[str] | None = None) -> str:
    """``rule_ids`` lists every rule evaluated: without any outcome (no events) each is skipped."""
    by_id = {v.id: v for v in report.violations}
    suite = ET.Element("testsuite", name=xml_text(f"pactwatch {report.contract}"))
    failures = skipped = 0
    cases = [(o.rule, o.vendor, o.incident, o.service, o.status, o.reason, o.violation) for o in report.outcomes]
    if not cases:
        cases = [(r, contract.vendor, None, None, "not_applicable", "no events", None) for r in sorted(rule_ids or [])]
    for rule, vendor, incident, service, status, reason, violation in cases:
        name = xml_text(rule + (f" [{service}]" if service else ""))
        case = ET.SubElement(suite, "testcase", classname=xml_text(f"pactwatch.{vendor}.{incident or 'service-level'}"),
                             name=name)
        if status == "violated":
            failures += 1
            v = by_id.get(violation or "")
            failure = ET.SubElement(case, "failure", type=v.severity if v else "violation",
                                    message=xml_text(v.title) if v else "violated")
            failure.text = xml_text(f"{v.at} [{v.severity}] {v.summary}") if v else None
        elif status != "met":
            skipped += 1
            ET.SubElement(case, "skipped", message=xml_text(f"{status}: {reason}" if reason else status))
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("skipped", str(skipped))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
