"""Messages per second of the reader, with and without ``lang``, against the lexicon alone.

    python benchmarks/messages.py [--repeat 3]

Two mixes from the bundled corpus, so the texts are real sentences and none repeats:
single sentences (status updates, chat lines) and mails (each story's sentences joined,
about 10 sentences each). Each mix is read by the full reader (lexicons + sentence model)
and, as the baseline measured in the same run, by the lexicon alone; once with the event's
``lang`` and once with the language detected. Prints messages/s and the time ratio
full/lexicon. Loading the rules and the model happens before the clock starts; every repetition
uses a fresh reader (cold cache of sentence readings), so repeats do not time the cache.

Then one long text of each kind the linear-time target names (1 MB of dense prose, the
same with every sentence distinct, a 20,000-line quoted history, text without spaces or
punctuation), with the seconds one ``analyze`` call takes (best of ``--repeat``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
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


def rate(make: Callable[[], MessageAnalyzer], texts: list[tuple[str, str]], with_lang: bool, repeat: int) -> float:
    """Messages per second, each repetition with a fresh reader: the reader keeps the readings of
    sentences it has seen, so a second pass over the same texts would time the cache."""
    best = float("inf")
    for _ in range(repeat):
        analyzer = make()
        analyzer.analyze("warm up", "en")
        start = time.perf_counter()
        for lang, text in texts:
            analyzer.analyze(text, lang if with_lang else None)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def long_texts() -> dict[str, str]:
    """The long texts of docs/message-analysis.md's speed table, about 1 MB each."""
    samples = load_corpus(ROOT / "rules" / "corpus" / "messages")
    distinct: list[str] = []
    size = 0
    for n in range(10**9):
        if size >= 1_000_000:
            break
        text = f"Ticket {n}: {samples[n % len(samples)].text}"  # the number keeps every sentence distinct
        distinct.append(text)
        size += len(text) + 1
    return {
        "dense prose, one paragraph repeated": "We apologise for the outage. The cause was a failed disk, which we "
                                               "replaced. " * 13_000,
        "corpus sentences, all distinct": " ".join(distinct),
        "20,000 lines of quoted history": "Thanks.\n\nOn Mon, 2 Mar 2026, Support wrote:\n"
                                          + "> The server is fully reachable again.\n" * 20_000,
        "no space": "x" * 1_000_000,
        "words, no punctuation": " ".join(["word"] * 200_000),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    library = load_rules()
    def full() -> MessageAnalyzer:
        return library.analyzer()

    def lexicon() -> MessageAnalyzer:
        return MessageAnalyzer(list(library.lexicons))
    print("| mix | texts | lang | reader msg/s | lexicon-only msg/s | ratio |")
    print("|---|---:|---|---:|---:|---:|")
    for name, texts in mixes().items():
        for with_lang in (True, False):
            r_full = rate(full, texts, with_lang, args.repeat)
            r_lex = rate(lexicon, texts, with_lang, args.repeat)
            print(f"| {name} | {len(texts)} | {'given' if with_lang else 'detected'} | {r_full:,.0f} | {r_lex:,.0f} | "
                  f"{r_lex / r_full:.2f} |")
    print("\n| long text | characters | sentences | seconds |")
    print("|---|---:|---:|---:|")
    for name, text in long_texts().items():
        best = float("inf")
        for _ in range(args.repeat):
            reader = full()
            reader.analyze("warm up", "en")
            start = time.perf_counter()
            analysis = reader.analyze(text)
            best = min(best, time.perf_counter() - start)
        print(f"| {name} | {len(text):,} | {len(analysis.sentences):,} | {best:.2f} |")


if __name__ == "__main__":
    main()
