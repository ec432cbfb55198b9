"""Commands about the rule library, lexicons and contract templates."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import PactwatchError, Problem
from ..rules import load_rules

if TYPE_CHECKING:
    from ..enrich.corpus import Sample
    from ..rules.loader import RuleLibrary
from .app import (
    EXIT_OK,
    EXIT_VIOLATIONS,
    LexiconOpt,
    RulesOpt,
    _fail,
    contract_app,
    err,
    lexicon_app,
    rules_app,
)


@rules_app.command("list")
def rules_list(rules: RulesOpt = None) -> None:
    """List the rules: id, severity, concept and title."""
    try:
        library = load_rules(rules)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    out = Console(highlight=False, soft_wrap=True)
    for r in library.rules:
        out.print(f"{r.id:32} {r.severity:9} {r.concept:28} {escape(r.title)}")


class ShowFormat(str, Enum):
    page = "page"
    json = "json"


@rules_app.command("show")
def rules_show(rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. no-apology.")], rules: RulesOpt = None,
               fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="page: the rule's documentation; "
                                                       "json: the rule as loaded.")] = ShowFormat.page) -> None:
    """Show one rule: its documentation page (with a worked example), or its loaded form as JSON."""
    try:
        library = load_rules(rules)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    rule = library.get(rule_id)
    if rule is None:
        _fail([Problem("rule-not-found", f"no rule {rule_id!r}; see 'pactwatch rules list'")])
        return
    if fmt is ShowFormat.page:
        from rich.markdown import Markdown

        from ..rules.docs import rule_page

        Console(highlight=False).print(Markdown(rule_page(rule, library)))
        return
    params = library.concepts[rule.concept].defaults()
    body: dict[str, Any] = {**rule.model_dump(mode="json", by_alias=True, exclude_none=True), "default_params": params}
    sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")


@rules_app.command("docs")
def rules_docs(
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory for the Markdown pages (required).")],
    rules: RulesOpt = None,
) -> None:
    """Write one Markdown page per rule (examples are run through the engine)."""
    from ..rules.docs import index_page, rule_page

    try:
        library = load_rules(rules)
        pages = {f"{r.id}.md": rule_page(r, library) for r in library.rules}
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    output.mkdir(parents=True, exist_ok=True)
    pages["index.md"] = index_page(library)
    for name, text in pages.items():
        (output / name).write_text(text, encoding="utf-8")
    err.print(f"wrote {len(pages)} pages to {escape(str(output))}")


class SplitName(str, Enum):
    train = "train"
    dev = "dev"
    test = "test"


@lexicon_app.command("score")
def lexicon_score(
    corpus: Annotated[Path, typer.Argument(help="YAML list of {lang, text, labels}, a story file, or a folder of them.")],
    lexicon: LexiconOpt = None,
    rules: RulesOpt = None,
    split: Annotated[SplitName | None, typer.Option("--split", help="Only this split of a story corpus (test: the reported figures).")] = None,
    by_lang: Annotated[bool, typer.Option("--by-lang", help="Also one table per language.")] = False,
    show_misses: Annotated[bool, typer.Option("--misses", help="List the sentences analysed differently.")] = False,
    no_authors: Annotated[bool, typer.Option("--no-authors", help="Read every sentence without its author, "
                                             "as a flat corpus without registers is read.")] = False,
) -> None:
    """Precision and recall per category on a labelled corpus (exit 1 if any is below 0.9).

    A sentence in the complaint register is read as the customer's, as the engine reads a
    customer's event (docs/message-analysis.md); other sentences without an author.
    """
    from ..enrich.corpus import load_corpus, without_authors
    from ..enrich.messages import primary_language
    from ..enrich.quality import markdown_table, score

    try:
        library = load_rules(rules, lexicon)
        samples = load_corpus(corpus, split.value if split else None)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    if no_authors:
        samples = without_authors(samples)
    analyzer = library.analyzer()
    scores, misses = score(analyzer, samples)
    sys.stdout.write(markdown_table(scores))
    if by_lang:
        # one table per language as the reader reads it: "de-CH" and "de" are German
        language = {s.lang: primary_language(s.lang) or s.lang for s in samples}
        for lang in sorted(set(language.values())):
            lang_scores, _ = score(analyzer, [s for s in samples if language[s.lang] == lang])
            sys.stdout.write(f"\n{lang}:\n\n" + markdown_table(lang_scores))
    if show_misses:
        for sample, got in misses:
            sys.stdout.write(f"miss: labels {sorted(sample.labels)} got {sorted(got)}: {sample.text}\n")
    weak = [c for c, s in scores.items() if s.support and (s.precision < 0.9 or s.recall < 0.9)]
    raise typer.Exit(EXIT_VIOLATIONS if weak else EXIT_OK)


def _training_material(corpus: Path | None, rules: Path | None,
                       lexicon: list[Path] | None) -> tuple[RuleLibrary, list[Sample]]:
    """The rule library (without its model) and the train and dev samples; never test."""
    from ..enrich.corpus import load_corpus

    try:
        library = load_rules(rules, lexicon, with_model=False)
        source = corpus if corpus is not None else library.directory / "corpus" / "messages"
        samples = load_corpus(source, "train") + load_corpus(source, "dev")
    except PactwatchError as exc:
        _fail(exc.problems)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        _fail([Problem("missing-dependency", "training needs scikit-learn: pip install 'pactwatch[train]'")])
    return library, samples


@lexicon_app.command("cv")
def lexicon_cv(
    corpus: Annotated[Path | None, typer.Argument(help="Story corpus file or folder (default: the bundled corpus).")] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, max=20, help="Number of folds (by story).")] = 4,
    assignment: Annotated[int, typer.Option("--assignment", min=0, help="Deal the stories to the folds anew (0, 1, 2 …): "
                                            "compare choices over several assignments.")] = 0,
    show_misses: Annotated[bool, typer.Option("--misses", help="List the sentences read otherwise than labelled.")] = False,
    rules: RulesOpt = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Cross-validated precision and recall on train and dev (test is never loaded).

    Use it while extending the corpus or the lexicons: each sentence is scored by a model
    trained without its story, so the figures say how the reader does on wording it has
    not seen (``score --split dev`` with the shipped model reads 1.00, as dev trained it).
    The misses are where the label guide's exceptions and new stories come from.
    """
    from ..enrich.crossval import cross_validate, macro_f1
    from ..enrich.quality import markdown_table

    library, samples = _training_material(corpus, rules, lexicon)
    misses: list[tuple[Any, set[str]]] = []
    scores = cross_validate(list(library.lexicons), samples, folds, assignment=assignment, misses=misses)
    sys.stdout.write(markdown_table(scores))
    sys.stdout.write(f"\nmacro-F1 {macro_f1(scores):.3f} over {sum(1 for s in samples if not s.fixed_split)} sentences, "
                     f"{folds} folds, assignment {assignment}\n")
    if show_misses:  # as `lexicon score --misses` lists them
        for sample, got in sorted(misses, key=lambda m: (m[0].story or "", m[0].text)):
            sys.stdout.write(f"miss: labels {sorted(sample.labels)} got {sorted(got)}: {sample.text}\n")


@lexicon_app.command("train")
def lexicon_train(
    corpus: Annotated[Path | None, typer.Argument(help="Story corpus file or folder (default: the bundled corpus).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the model (.json.gz).")] = Path("sentence-model.json.gz"),
    rules: RulesOpt = None,
    lexicon: LexiconOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Train the sentence model on the corpus's train and dev splits (never on test).

    The same corpus and lexicons give the same model bytes. To use the model, put it at
    lexicons/sentence-model.json.gz of a rule library (``--rules``).
    """
    from ..enrich.training import dump_model, train

    library, samples = _training_material(corpus, rules, lexicon)
    if output.exists() and not force:
        _fail([Problem("file-exists", "exists already (use --force to overwrite)", file=str(output))])
    from ..enrich.messages import MessageAnalyzer

    doc = train(MessageAnalyzer(list(library.lexicons)), samples)
    output.write_bytes(dump_model(doc))
    err.print(f"wrote {escape(str(output))}: {doc['meta']['features']} features from {len(samples)} sentences")


@contract_app.command("init")
def contract_init(
    template: Annotated[str, typer.Option("--template", "-t", help="hosting-de, hosting-en, …")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the contract.")] = Path("contract.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented contract from a template, to adapt to the real agreement."""
    from ..policy.templates import template_path

    try:
        source = template_path(template)
    except PactwatchError as exc:
        _fail(exc.problems)
        return
    if output.exists() and not force:
        _fail([Problem("file-exists", "exists already (use --force to overwrite)", file=str(output))])
    output.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    err.print(f"wrote {escape(str(output))} from template {template}")
