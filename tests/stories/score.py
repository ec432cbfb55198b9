"""Score pactwatch's findings on the incident stories (``tests/stories/{dev,test,open}/*``).

    python tests/stories/score.py [--split dev|test|open]

``open`` holds stories with a known fault not yet fixed: test stories of which another fault was
fixed after they were scored (they no longer measure unseen judgement), and dev stories whose
fault is still open (dev stories must come out as expected).

Each story folder holds ``events.jsonl``, ``contract.yaml`` and ``expected.yaml``: the rules a
careful contract manager expects to fire (``fires``), written before pactwatch read the story, and
rules left out of the score because the story leaves them a judgement call (``ignore``, with the
reason). A story's score compares the set of rules that fired (exempted and waived findings are
listed in a report but not counted) with ``fires``. Prints one Markdown table per split and the
precision and recall over all (story, rule) pairs.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent.parent / "engine"))

from pactwatch import evaluate, load_events, load_rules  # noqa: E402
from pactwatch._yaml import load_yaml  # noqa: E402
from pactwatch.errors import PactwatchError  # noqa: E402
from pactwatch.rules import RuleLibrary  # noqa: E402


@dataclass(frozen=True)
class StoryScore:
    name: str
    expected: frozenset[str]
    fired: frozenset[str]
    ignored: frozenset[str]

    @property
    def missing(self) -> frozenset[str]:
        return self.expected - self.fired

    @property
    def extra(self) -> frozenset[str]:
        return self.fired - self.expected - self.ignored


def stories(split: str) -> list[Path]:
    return sorted(p for p in (ROOT / split).iterdir() if (p / "events.jsonl").is_file())


def score_story(folder: Path, library: RuleLibrary) -> StoryScore:
    expected = load_yaml(folder / "expected.yaml").data
    report = evaluate(load_events(folder / "events.jsonl", strict=True), folder / "contract.yaml", rules=library)
    fired = {v.rule for v in report.violations if v.exempted is None and v.waived is None}
    return StoryScore(folder.name, frozenset(expected["fires"]), frozenset(fired), frozenset(expected.get("ignore") or {}))


def score_split(split: str, library: RuleLibrary | None = None) -> list[StoryScore]:
    library = library or load_rules()
    return [score_story(folder, library) for folder in stories(split)]


def markdown(scores: list[StoryScore]) -> str:
    lines = ["| story | expected | found | missing | wrongly found |", "|---|---:|---:|---|---|"]
    for s in scores:
        lines.append(f"| {s.name} | {len(s.expected)} | {len(s.expected & s.fired)} | "
                     f"{', '.join(sorted(s.missing)) or '—'} | {', '.join(sorted(s.extra)) or '—'} |")
    tp = sum(len(s.expected & s.fired) for s in scores)
    fp = sum(len(s.extra) for s in scores)
    fn = sum(len(s.missing) for s in scores)
    lines.append(f"| **all {len(scores)}** | {tp + fn} | {tp} | {fn} | {fp} |")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return "\n".join(lines) + f"\n\nPrecision {precision:.2f}, recall {recall:.2f} over (story, rule) pairs.\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("dev", "test", "open"), action="append")
    args = parser.parse_args()
    library = load_rules()
    for split in args.split or ["dev", "test"]:
        sys.stdout.write(f"\n{split}:\n\n" + markdown(score_split(split, library)))


if __name__ == "__main__":
    try:
        main()
    except PactwatchError as exc:
        # a story with bad input says which file, line and field, as the CLI would (exit 2), not a traceback
        sys.stderr.write(f"score.py: {exc}\n")
        raise SystemExit(2) from None
