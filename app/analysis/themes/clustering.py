"""Grouping answer vectors into themes: a consensus of spectral clusterings.

One clustering of a few hundred short answers is fragile: many very different groupings fit
the vectors almost equally well, and which one k-means lands on depends on its seed (measured
on the labelled sets: the grouping a person made scores the same as groupings that share
little with it). So the method asks the same question many ways and keeps what they agree on:

1. A graph joins each answer to its ``neighbours`` nearest answers (cosine), for several
   numbers of neighbours; each graph's normalised Laplacian gives a spectral embedding.
2. In each embedding, k-means (several seeds) groups the answers into every number of themes
   from ``min_themes`` to ``max_themes``.
3. How often two answers were put together over all these groupings is their co-association;
   average-linkage clustering of it gives one grouping per number of themes, and the number
   kept is the one whose grouping has the best silhouette in the original vectors.

Everything is seeded and the vectors arrive in a fixed order, so the result is the same for
the same answers. Cost: about a second for 2,000 answers (the co-association matrix is
n × n float32, 16 MB at 2,000).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["consensus_labels"]


def _spectral_groupings(
    points: np.ndarray, neighbours: int, seed: int, ks: Sequence[int]
) -> list[np.ndarray]:
    from sklearn.cluster import KMeans
    from sklearn.manifold import spectral_embedding
    from sklearn.neighbors import kneighbors_graph
    from sklearn.preprocessing import normalize

    graph = kneighbors_graph(points, neighbours, metric="cosine", include_self=False)
    graph = 0.5 * (graph + graph.T)
    embedded = spectral_embedding(
        graph, n_components=max(ks), random_state=seed, drop_first=False, norm_laplacian=True
    )
    return [
        KMeans(k, n_init=10, random_state=seed).fit_predict(normalize(embedded[:, :k])) for k in ks
    ]


def consensus_labels(
    points: np.ndarray,
    *,
    min_themes: int = 3,
    max_themes: int = 10,
    neighbours: Sequence[int] = (6, 8, 10, 12),
    seeds: Sequence[int] = (0, 1),
) -> np.ndarray:
    """A theme number for each row of ``points`` (unit vectors); see the module docstring."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = len(points)
    top = min(max_themes, n - 2)
    if top < 2:
        return np.zeros(n, dtype=int)
    ks = list(range(min(min_themes, top), top + 1))
    together = np.zeros((n, n), dtype=np.float32)
    runs = 0
    for count in neighbours:
        for seed in seeds:
            for labels in _spectral_groupings(points, min(count, n - 1), seed, ks):
                together += labels[:, None] == labels[None, :]
                runs += 1
    distance = 1.0 - together / runs
    best: tuple[float, np.ndarray] | None = None
    for k in ks:
        labels = AgglomerativeClustering(k, metric="precomputed", linkage="average").fit_predict(
            distance
        )
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(points, labels, metric="cosine"))
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    return best[1] if best is not None else np.zeros(n, dtype=int)
