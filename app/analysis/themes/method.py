"""Suggesting themes from short free-text answers, locally and deterministically.

How it works (``suggest_themes``):

1. Each answer is cut into words: lower case, apostrophes dropped, English stop words,
   contractions, filler words ("just", "really") and words of one or two letters left out,
   possessives reduced to their word ("police's" → "police"). An answer with no word left
   fits no theme.
2. Every distinct word gets the static vector that ``wordllama`` ships inside its wheel
   (256 dimensions, loaded from the installed package with downloads disabled), so that
   "spying", "surveillance" and "snooping", or a misspelling and its word, lie close together.
   An answer's vector is the mean of its words' vectors weighted by their inverse document
   frequency in this question's answers (words that every answer uses, such as the question's
   own topic, count little), centred on the question's mean.
3. The answers are clustered spectrally: cosine affinities, the normalised graph Laplacian's
   leading eigenvectors, then k-means in that space. The number of themes is the one with the
   best silhouette between 3 and ``max_themes``. Above ``sample_size`` answers the clustering
   is fitted on a fixed sample and every other answer joins the nearest theme.
4. An answer far from its theme's centre (cosine below ``fit_threshold``), and every theme with
   fewer than ``min_size`` answers, goes to "other".
5. Each theme's label is made of its most telling phrases: words and two-word phrases ranked
   by class-based TF-IDF (how much more often the theme's answers use them than the rest).
   Answers are ordered from the most typical (closest to the centre) outwards.

Every random choice is seeded and the input is ordered by id, so the same answers give the same
themes. numpy, scikit-learn and wordllama are imported when themes are first suggested (in the
worker or the CLI), never when the web application starts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = ["SuggestedTheme", "Suggestions", "suggest_themes", "words_of"]

_WORD = re.compile(r"[a-z]+")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SuggestedTheme:
    member_ids: tuple[int, ...]  # the most typical first
    phrases: tuple[str, ...]

    @property
    def label(self) -> str:
        return ", ".join(self.phrases[:3]) or "Unlabelled theme"

    @property
    def size(self) -> int:
        return len(self.member_ids)


@dataclass(frozen=True)
class Suggestions:
    themes: list[SuggestedTheme]  # largest first
    other_ids: tuple[int, ...]


# Besides scikit-learn's English stop words: contractions as they read once apostrophes are
# dropped, and filler words that say nothing about what an answer is about.
_MORE_STOP_WORDS = """
dont doesnt didnt isnt arent wasnt werent wont cant couldnt shouldnt wouldnt havent hasnt
thats theres whats theyre youre weve theyve ive im id youd hed shed lets its
just like make makes made need needs needed really think want wants get gets got getting
going lot lots way things thing also even much many use used able actually say says said
know yes maybe probably simply quite sure
"""


@cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(w.replace("'", "") for w in ENGLISH_STOP_WORDS) | frozenset(
        _MORE_STOP_WORDS.split()
    )


_POSSESSIVE = re.compile(r"'s\b")


def _plain(text: str) -> str:
    """Lower case, curly apostrophes straightened, possessives and apostrophes dropped."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    return _POSSESSIVE.sub("", text).replace("'", "")


def words_of(text: str) -> list[str]:
    """The content words of ``text`` (see step 1)."""
    stop = _stop_words()
    return [w for w in _WORD.findall(_plain(text)) if len(w) > 2 and w not in stop]


@cache
def _word_model() -> Any:
    """wordllama's shipped model. Its 0.4 release looks for the tokenizer file in a folder of
    its own package that does not exist, then tries to download it: pointing ``cache_dir`` at
    the package, whose ``tokenizers`` folder holds the shipped file, and disabling downloads
    makes it load from the wheel or fail, never reach the network."""
    import wordllama

    return wordllama.WordLlama.load(
        cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )


def word_vectors(words: Sequence[str]) -> np.ndarray:
    """Unit vectors of ``words`` (one row each)."""
    import numpy as np
    from sklearn.preprocessing import normalize

    if not words:
        return np.zeros((0, 256))
    vectors = np.asarray(_word_model().embed(list(words), batch_size=512), dtype=np.float64)
    unit: np.ndarray = normalize(vectors)
    return unit


def _answer_vectors(
    tokens: list[list[str]], progress: Progress | None, batch: int
) -> tuple[np.ndarray, list[str], Any]:
    """Step 2: the idf-weighted mean word vector of each answer, centred and normalised; also
    the vocabulary and the answers × words count matrix (for the labels)."""
    import numpy as np
    from scipy import sparse
    from sklearn.preprocessing import normalize

    vocabulary = sorted({w for t in tokens for w in t})
    index = {w: i for i, w in enumerate(vocabulary)}
    rows, cols = [], []
    for i, t in enumerate(tokens):
        for w in t:
            rows.append(i)
            cols.append(index[w])
    counts = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(tokens), len(vocabulary))
    )
    counts.sum_duplicates()
    n = len(tokens)
    document_frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((n + 1) / (document_frequency + 1)) + 1.0
    weights = (counts > 0).astype(np.float64).multiply(idf).tocsr()
    vectors = np.zeros((len(vocabulary), 256))
    for start in range(0, len(vocabulary), batch):
        part = vocabulary[start : start + batch]
        vectors[start : start + len(part)] = word_vectors(part)
        if progress:
            progress(min(n, (start + len(part)) * n // max(1, len(vocabulary))), n)
    answers = normalize(np.asarray(weights @ vectors))
    answers = normalize(answers - answers.mean(axis=0))
    return answers, vocabulary, counts


def _spectral_labels(vectors: np.ndarray, max_themes: int, seed: int) -> np.ndarray:
    """Step 3 on at most ``sample_size`` answers: labels with the best silhouette."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.manifold import spectral_embedding
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import normalize

    n = len(vectors)
    points = vectors.astype(np.float32)
    affinity = np.clip(points @ points.T, 0.0, None)
    top = min(max_themes, n - 1)
    embedded = spectral_embedding(
        affinity, n_components=top, random_state=seed, drop_first=False, norm_laplacian=True
    )
    best: tuple[float, np.ndarray] | None = None
    for k in range(min(3, top), top + 1):
        space = normalize(embedded[:, :k])
        labels = KMeans(k, n_init=4, random_state=seed).fit_predict(space)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(vectors, labels, metric="cosine"))
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    return best[1] if best is not None else np.zeros(n, dtype=int)


def _phrases(
    texts: list[str], groups: list[list[int]], stop: frozenset[str], count: int = 5
) -> list[tuple[str, ...]]:
    """Step 5: each group's most telling words and two-word phrases (class-based TF-IDF)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(
        ngram_range=(1, 2),
        stop_words=sorted(stop),
        token_pattern=r"(?u)\b[a-z][a-z]{2,}\b",  # noqa: S106 - a regular expression
        preprocessor=_plain,
        min_df=2,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no phrase used twice
        return [() for _ in groups]
    terms = vectorizer.get_feature_names_out()
    per_group = np.vstack([np.asarray(matrix[g].sum(axis=0)).ravel() for g in groups])
    overall = per_group.sum(axis=0)
    average = per_group.sum() / max(1, len(groups))
    scores = (per_group / np.maximum(per_group.sum(axis=1, keepdims=True), 1)) * np.log1p(
        average / np.maximum(overall, 1)
    )
    result = []
    for g, row in enumerate(scores):
        chosen: list[str] = []
        for j in np.lexsort((terms, -row)):
            if row[j] <= 0 or per_group[g, j] < 2:
                break
            term = str(terms[j])
            if any(term in c or c in term for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == count:
                break
        result.append(tuple(chosen))
    return result


def suggest_themes(items: Sequence[tuple[int, str]], **options: Any) -> Suggestions:
    """Suggest themes among ``(answer id, text)`` items (see the module docstring).

    Numerical libraries run single-threaded here: the job runs beside the web workers on a
    small machine, where their thread pools only contend (k-means on a few thousand points
    took seconds instead of milliseconds with a busy second core)."""
    # The libraries must be loaded before their thread pools can be limited.
    import sklearn.cluster
    import sklearn.manifold  # noqa: F401
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _suggest(items, **options)


def _suggest(
    items: Sequence[tuple[int, str]],
    *,
    max_themes: int = 10,
    min_size: int = 3,
    fit_threshold: float = 0.25,
    sample_size: int = 2000,
    seed: int = 0,
    progress: Progress | None = None,
    batch: int = 2000,
) -> Suggestions:
    import numpy as np

    ordered = sorted(items)
    ids = [i for i, _ in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError("an answer id appears twice")
    tokens = [words_of(text) for _, text in ordered]
    usable = [i for i, t in enumerate(tokens) if t]
    other = {ids[i] for i, t in enumerate(tokens) if not t}
    if len(usable) < max(2 * min_size, 4):
        return Suggestions(themes=[], other_ids=tuple(sorted(ids)))
    vectors, _, _ = _answer_vectors([tokens[i] for i in usable], progress, batch)
    if len(usable) > sample_size:
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(len(usable), size=sample_size, replace=False))
    else:
        sample = np.arange(len(usable))
    sample_labels = _spectral_labels(vectors[sample], max_themes, seed)
    centres = np.vstack(
        [vectors[sample[sample_labels == k]].mean(axis=0) for k in sorted(set(sample_labels))]
    )
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    similarity = vectors @ centres.T
    labels = similarity.argmax(axis=1)
    fit = similarity[np.arange(len(usable)), labels]
    members: dict[int, list[int]] = {}
    for row, (label, score) in enumerate(zip(labels.tolist(), fit.tolist(), strict=True)):
        if score < fit_threshold:
            other.add(ids[usable[row]])
        else:
            members.setdefault(label, []).append(row)
    groups = []
    for rows in members.values():
        if len(rows) < min_size:
            other.update(ids[usable[r]] for r in rows)
            continue
        rows.sort(key=lambda r: (-round(float(fit[r]), 9), ids[usable[r]]))
        groups.append(rows)
    groups.sort(key=lambda g: (-len(g), ids[usable[g[0]]]))
    texts = [ordered[i][1] for i in usable]
    phrases = _phrases(texts, groups, _stop_words())
    themes = [
        SuggestedTheme(member_ids=tuple(ids[usable[r]] for r in g), phrases=p)
        for g, p in zip(groups, phrases, strict=True)
    ]
    if progress:
        progress(len(ordered), len(ordered))
    return Suggestions(themes=themes, other_ids=tuple(sorted(other)))
