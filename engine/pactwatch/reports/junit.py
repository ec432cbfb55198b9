"""JUnit XML: one test case per rule of the library, failing once per violation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..models.contract import Contract
from ..models.report import Report
from ..remedies.waivers import is_active

__all__ = ["render_junit"]


def render_junit(report: Report, contract: Contract, rule_ids: list[str] | None = None) -> str:
    """``rule_ids`` lists every rule evaluated, so rules that found nothing show as passed."""
    ids = sorted(set(rule_ids or []) | {v.rule for v in report.violations})
    suite = ET.Element("testsuite", name=f"pactwatch {report.contract}", tests=str(len(ids)))
    failures = 0
    for rule_id in ids:
        case = ET.SubElement(suite, "testcase", classname=f"pactwatch.{contract.vendor}", name=rule_id)
        found = [v for v in report.violations if v.rule == rule_id and is_active(v)]
        if found:
            failures += 1
            failure = ET.SubElement(case, "failure", type=found[0].severity,
                                    message=f"{len(found)} violation(s): {found[0].title}")
            failure.text = "\n".join(f"{v.at} [{v.severity}] {v.summary}" for v in found)
    suite.set("failures", str(failures))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
