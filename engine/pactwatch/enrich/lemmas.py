"""simplemma's lemmas, with its dictionaries kept as memory-mapped tries between runs.

simplemma decodes its German and English dictionaries (1.3 million entries) in Python on
first use: about two seconds, in every ``pactwatch`` command and every worker process that
reads a text. The same entries as MARISA tries (``marisa-trie``, which simplemma supports
for this) load in milliseconds. They are built once per machine and simplemma version into
the user's cache folder (``PACTWATCH_CACHE_DIR`` overrides it) and written under a temporary
name first, so processes starting together never read half a file. Where nothing can be
written, the dictionaries are decoded as before. Either way the lemmas are simplemma's own:
the entries are the same (``tests/test_lemmas.py``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["cache_folder", "lemmatizer"]

Lemmatize = Callable[[str, str | tuple[str, ...]], str]


def cache_folder() -> Path:
    """Where the tries are kept: ``PACTWATCH_CACHE_DIR``, else the user's cache folder."""
    from platformdirs import user_cache_dir

    return Path(os.environ.get("PACTWATCH_CACHE_DIR") or user_cache_dir("pactwatch")) / "lemmas"


class _Tries(Mapping[str, str]):
    """One language's dictionary as a read-only mapping over a memory-mapped trie."""

    def __init__(self, trie: Any):
        self._trie = trie

    def __getitem__(self, key: str) -> str:
        found = self._trie.get(key)
        if not found:
            raise KeyError(key)
        return str(found[0].decode("utf-8"))

    def get(self, key: str, default: Any = None) -> Any:  # simplemma asks with get()
        found = self._trie.get(key)
        return found[0].decode("utf-8") if found else default

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie.keys())

    def __len__(self) -> int:
        return len(self._trie)


class _TrieFactory:
    """A simplemma ``DictionaryFactory``: its shipped dictionaries, as tries cached on disk."""

    def __init__(self, folder: Path, version: str):
        self.folder = folder
        self.version = version

    @functools.lru_cache(maxsize=8)  # noqa: B019 (one factory per process, kept for its life)
    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        from marisa_trie import BytesTrie
        from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

        path = self.folder / f"{lang}-{self.version}.marisa"
        if path.is_file():
            try:
                return _Tries(BytesTrie().mmap(str(path)))
            except Exception:  # noqa: BLE001 (a damaged cache is rebuilt, never trusted)
                path.unlink(missing_ok=True)
        entries = DefaultDictionaryFactory().get_dictionary(lang)
        trie = BytesTrie((key, value.encode("utf-8")) for key, value in entries.items())
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            trie.save(str(temp))
            os.replace(temp, path)
        except OSError:  # a full disk, a folder gone: this run reads the trie it built
            return _Tries(trie)
        finally:
            temp.unlink(missing_ok=True)
        return _Tries(BytesTrie().mmap(str(path)))


@functools.lru_cache(maxsize=1)
def lemmatizer() -> Lemmatize:
    """simplemma's ``lemmatize``, on cached tries where the cache folder can be written."""
    import simplemma

    try:
        from simplemma.__metadata__ import __version__ as version
        from simplemma.strategies import DefaultStrategy

        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(str(folder))
        strategy = DefaultStrategy(dictionary_factory=_TrieFactory(folder, version))
        return simplemma.Lemmatizer(lemmatization_strategy=strategy).lemmatize
    except (ImportError, OSError):
        return lambda token, lang: str(simplemma.lemmatize(token, lang=lang))
