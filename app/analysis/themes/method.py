"""Suggesting themes from short free-text answers, locally and deterministically.

How it works (``suggest_themes``):

1. Each answer is cut into words: lower case, apostrophes dropped, English stop words,
   contractions, filler words ("just", "really") and words of one or two letters left out,
   possessives reduced to their word ("police's" → "police"). An answer with no word left
   fits no theme.
2. Word view: every distinct word gets its shipped static vector (``vectors.word_vectors``);
   an answer's vector is the mean of its words' vectors weighted by their inverse document
   frequency in this question's answers (words that every answer uses, such as the question's
   own topic, count little), centred on the question's mean.
3. Sentence view: each answer (its first 128 word pieces) goes through a small sentence model
   (``vectors.sentence_vectors``: all-MiniLM-L6-v2, shipped as an ONNX file), which reads the
   words in order and so tells "the police do nothing" from "the police have nothing". Its
   vector is the mean of the answer's content words' vectors as the model read them in
   context, each weighted by the square of its inverse document frequency (stop words and
   punctuation not at all), so the words that tell answers apart steer it. Above
   ``sample_size`` answers only a fixed sample goes through it (it costs a few milliseconds an
   answer); the others are placed by their word view in step 5.
4. The two views, each centred and normalised, are joined (the word view at half the weight
   of the sentence view: ``word_weight``), and the answers are grouped by a
   consensus of spectral clusterings (``clustering.consensus_labels``), which also chooses the
   number of themes (3 to ``max_themes``) by silhouette.
5. Each answer then joins the theme whose centre it is closest to (in the joined views, or in
   the word view for answers outside the sample). An answer far from every centre (cosine below
   ``fit_threshold``), and every theme with fewer than ``min_size`` answers, goes to "other".
6. Each theme's label is made of its most telling phrases: words and two-word phrases ranked
   by class-based TF-IDF (how much more often the theme's answers use them than the rest).
   Answers are ordered from the most typical (closest to the centre) outwards.

Every random choice is seeded and the input is ordered by id, so the same answers give the same
themes. numpy, scikit-learn, onnxruntime and wordllama are imported when themes are first
suggested (in the worker or the CLI), never when the web application starts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
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


def _answer_vectors(
    tokens: list[list[str]], progress: Progress | None, batch: int
) -> tuple[np.ndarray, dict[str, float]]:
    """Step 2: the idf-weighted mean word vector of each answer, centred and normalised; also
    each content word's inverse document frequency (the sentence view's weights)."""
    import numpy as np
    from scipy import sparse
    from sklearn.preprocessing import normalize

    from app.analysis.themes.vectors import word_vectors

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
    vectors = word_vectors(  # the words are the first quarter of the work
        vocabulary,
        progress=(lambda done: progress(done * n // (4 * len(vocabulary)), n))
        if progress
        else None,
        batch=batch,
    )
    answers = normalize(np.asarray(weights @ vectors))
    answers = normalize(answers - answers.mean(axis=0))
    return answers, {w: float(v) for w, v in zip(vocabulary, idf, strict=True)}


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


def _centred(vectors: np.ndarray) -> np.ndarray:
    from sklearn.preprocessing import normalize

    unit = normalize(vectors)
    centred: np.ndarray = normalize(unit - unit.mean(axis=0))
    return centred


def _centres(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The normalised mean of each theme's rows, themes numbered 0, 1, … as in ``labels``."""
    import numpy as np
    from sklearn.preprocessing import normalize

    centres: np.ndarray = normalize(
        np.vstack([vectors[labels == k].mean(axis=0) for k in range(int(labels.max()) + 1)])
    )
    return centres


def _nearest(vectors: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the closest centre and its cosine."""
    similarity = vectors @ centres.T
    return similarity.argmax(axis=1), similarity.max(axis=1)


def _place(
    word_view: np.ndarray,
    sentences: np.ndarray,
    sample: np.ndarray,
    max_themes: int,
    fit_threshold: float,
    word_threshold: float,
    word_weight: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steps 4 and 5: each answer's theme, how typical it is (higher first) and whether it is
    left as "other"."""
    import numpy as np

    from app.analysis.themes.clustering import consensus_labels

    joined = np.hstack([word_weight * _centred(word_view[sample]), _centred(sentences)])
    joined /= np.sqrt(1.0 + word_weight**2)
    first = np.unique(consensus_labels(joined, max_themes=max_themes), return_inverse=True)[1]
    nearest, joined_fit = _nearest(joined, _centres(joined, first))
    labels = np.zeros(len(word_view), dtype=int)
    labels[sample] = np.unique(nearest, return_inverse=True)[1]
    outlier = np.zeros(len(word_view), dtype=bool)
    outlier[sample] = joined_fit < fit_threshold
    # typical first: the sample by its fit in the joined views, then the rest by their words
    order = np.zeros(len(word_view))
    order[sample] = 2.0 + joined_fit
    rest = np.setdiff1d(np.arange(len(word_view)), sample)
    if len(rest):  # placed by their word view alone, among the themes the sample found
        labels[rest], order[rest] = _nearest(
            word_view[rest], _centres(word_view[sample], labels[sample])
        )
        outlier[rest] = order[rest] < word_threshold
    return labels, order, outlier


def _suggest(
    items: Sequence[tuple[int, str]],
    *,
    max_themes: int = 10,
    min_size: int = 3,
    fit_threshold: float = 0.2,
    word_threshold: float = 0.0,
    word_weight: float = 0.5,
    sample_size: int = 1000,
    seed: int = 0,
    progress: Progress | None = None,
    batch: int = 2000,
) -> Suggestions:
    import numpy as np

    from app.analysis.themes.vectors import sentence_vectors

    ordered = sorted(items)
    ids = [i for i, _ in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError("an answer id appears twice")
    tokens = [words_of(text) for _, text in ordered]
    usable = [i for i, t in enumerate(tokens) if t]
    other = {ids[i] for i, t in enumerate(tokens) if not t}
    if len(usable) < max(2 * min_size, 4):
        return Suggestions(themes=[], other_ids=tuple(sorted(ids)))
    n = len(ordered)
    word_view, idf = _answer_vectors([tokens[i] for i in usable], progress, batch)
    if len(usable) > sample_size:
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(len(usable), size=sample_size, replace=False))
    else:
        sample = np.arange(len(usable))
    sentences = sentence_vectors(
        [ordered[usable[r]][1] for r in sample.tolist()],
        progress=(lambda done: progress(n // 4 + done * (n - n // 4) // len(sample), n))
        if progress
        else None,
        weights={w: v * v for w, v in idf.items()},  # squared: rarer words steer more
    )
    labels, order, outlier = _place(
        word_view, sentences, sample, max_themes, fit_threshold, word_threshold, word_weight
    )
    members: dict[int, list[int]] = {}
    for row in range(len(usable)):
        if outlier[row]:
            other.add(ids[usable[row]])
        else:
            members.setdefault(int(labels[row]), []).append(row)
    groups = []
    for rows in members.values():
        if len(rows) < min_size:
            other.update(ids[usable[r]] for r in rows)
            continue
        rows.sort(key=lambda r: (-round(float(order[r]), 9), ids[usable[r]]))
        groups.append(rows)
    groups.sort(key=lambda g: (-len(g), ids[usable[g[0]]]))
    texts = [ordered[i][1] for i in usable]
    phrases = _phrases(texts, groups, _stop_words())
    themes = [
        SuggestedTheme(member_ids=tuple(ids[usable[r]] for r in g), phrases=p)
        for g, p in zip(groups, phrases, strict=True)
    ]
    if progress:
        progress(n, n)
    return Suggestions(themes=themes, other_ids=tuple(sorted(other)))
