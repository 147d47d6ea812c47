"""Text to search terms, the same way at index time (here) and at query time (the
theme's search.js does exactly this, step for step).

- Folded: compatibility-decomposed, accents dropped, lower case ("Zürich" -> "zurich").
- Split into runs of letters and digits.
- Words are stemmed for the site's language with Snowball ("sanctions" -> "sanction");
  the browser has no stemmer, so the index keeps every written form beside its stem.
- Chinese, Japanese and Korean runs become overlapping pairs of characters, as
  Lucene's CJK analyzer does: any run of two or more characters is found, with no
  dictionary in the browser.

Text is split at white space first, which is quick, and each distinct piece
("China's," say) is analysed once per process: news copy repeats its words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import snowballstemmer

TOKEN = re.compile(r"[^\W_]+")
CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
)
LANGUAGES = {  # BCP 47 primary tag -> Snowball's name
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian",
    "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "nb": "norwegian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish", "fa": "persian",
}  # fmt: skip
Term = tuple[str, str]  # (the written form, folded; the term it is indexed under)


def fold(text: str) -> str:
    """'Zürich' -> 'zurich', 'Ｆｕｌｌ' -> 'full': nonspacing marks (Unicode's Mn, as
    JavaScript's \\p{Mn}) dropped after decomposition, recomposed (Hangul syllables
    come back whole), then lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", bare).lower()


def stemmer_for(language: str) -> Callable[[str], str] | None:
    """The Snowball stemmer for a language tag ('en', 'pt-BR'), if there is one."""
    name = LANGUAGES.get(language.split("-")[0].lower())
    return snowballstemmer.stemmer(name).stemWord if name else None


def bigrams(run: str) -> list[str]:
    """'北京大学' -> ['北京', '京大', '大学']; a single character is itself."""
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


class Analyzer:
    """Terms of a text for one language; remembers each piece it has analysed, also
    in the shapes source/terms.py counts a whole body with in C (`key_of`, `form_of`,
    `several`): most pieces are one word, written as its stem or not."""

    def __init__(self, language: str):
        self.stem = stemmer_for(language)
        self.known: dict[str, tuple[Term, ...]] = {}
        self.key_of: dict[str, str | tuple[Term, ...]] = {}  # the stem, or all the terms
        self.form_of: dict[str, Term] = {}  # a one-word piece written other than its stem
        self.several: set[tuple[Term, ...]] = set()  # the keys that are not one stem

    def token(self, piece: str) -> tuple[Term, ...]:
        """The terms of a piece of text without white space (a token, or "China's,")."""
        found = self.known.get(piece)
        if found is None:
            terms = [term for token in TOKEN.findall(piece) for term in self._analyse(token)]
            found = self.known[piece] = tuple(terms)
            self._remember(piece, found)
        return found

    def _remember(self, piece: str, terms: tuple[Term, ...]) -> None:
        if len(terms) != 1:
            self.key_of[piece] = terms
            self.several.add(terms)
            return
        ((form, stem),) = terms
        self.key_of[piece] = stem
        if form != stem:
            self.form_of[piece] = terms[0]

    def _analyse(self, token: str) -> tuple[Term, ...]:
        folded = fold(token)
        terms: list[Term] = []
        position = 0
        for run in CJK.finditer(folded):
            terms += self._words(folded[position : run.start()])
            terms += [(pair, pair) for pair in bigrams(run.group())]
            position = run.end()
        terms += self._words(folded[position:])
        return tuple(terms)

    def _words(self, text: str) -> list[Term]:
        """Stemmed words; a lone letter ('s' of "Xi's") is left out, a lone digit kept."""
        stem = self.stem
        words = [w for w in TOKEN.findall(text) if len(w) > 1 or w.isdigit()]
        return [(w, stem(w) if stem else w) for w in words]

    def query(self, text: str) -> list[Term]:
        """A query's terms in order (the browser's search.js does the same)."""
        return [term for piece in text.split() for term in self.token(piece)]
