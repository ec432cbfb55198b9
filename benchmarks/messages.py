"""Messages per second of the reader, with and without ``lang``, against the lexicon alone.

    python benchmarks/messages.py [--repeat 3]

Two mixes from the bundled corpus, so the texts are real sentences and none repeats:
single sentences (status updates, chat lines) and mails (each story's sentences joined,
about 10 sentences each). Each mix is read by the full reader (lexicons + sentence model)
and, as the baseline measured in the same run, by the lexicon alone; once with the event's
``lang`` and once with the language detected. Prints messages/s and the time ratio
full/lexicon. Loading the rules and the model happens before the clock starts.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "engine"))

from pactwatch import load_rules  # noqa: E402
from pactwatch.enrich import MessageAnalyzer  # noqa: E402
from pactwatch.enrich.corpus import load_corpus  # noqa: E402


def mixes() -> dict[str, list[tuple[str, str]]]:
    samples = load_corpus(ROOT / "rules" / "corpus" / "messages")
    stories: dict[str, list[str]] = defaultdict(list)
    langs: dict[str, str] = {}
    for s in samples:
        key = s.story or s.text
        stories[key].append(s.text)
        langs[key] = s.lang
    mails = [(langs[k], "\n\n".join(v)) for k, v in sorted(stories.items()) if len(v) > 3]
    return {"sentences": [(s.lang, s.text) for s in samples], "mails": mails}


def rate(analyzer: MessageAnalyzer, texts: list[tuple[str, str]], with_lang: bool, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for lang, text in texts:
            analyzer.analyze(text, lang if with_lang else None)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    library = load_rules()
    full, lexicon = library.analyzer(), MessageAnalyzer(list(library.lexicons))
    full.analyze("warm up", "en"), lexicon.analyze("warm up", "en")
    print("| mix | texts | lang | reader msg/s | lexicon-only msg/s | ratio |")
    print("|---|---:|---|---:|---:|---:|")
    for name, texts in mixes().items():
        for with_lang in (True, False):
            r_full = rate(full, texts, with_lang, args.repeat)
            r_lex = rate(lexicon, texts, with_lang, args.repeat)
            print(f"| {name} | {len(texts)} | {'given' if with_lang else 'detected'} | {r_full:,.0f} | {r_lex:,.0f} | "
                  f"{r_lex / r_full:.2f} |")


if __name__ == "__main__":
    main()
