"""Theme suggestions: quality against hand-labelled answers, and speed on 10,000 answers.

    .venv/bin/python bench/themes.py [--answers 10000] [--only quality|speed]

Quality: each set in bench/data (written by hand; see its README) is themed by
``app.analysis.themes.method.suggest_themes`` exactly as a run would, and compared with its
labels: the adjusted Rand index (answers left as "other" form one more group) and, per labelled
theme, the F1 of the suggested theme that matches it best. ``themes_tuning.txt`` and
``themes_tuning2.txt`` were used while choosing the method; ``themes_holdout.txt`` was not, and
is reported apart.

Speed: N answers to one question (the labelled answers recombined with typos and joined
sentences, so that nearly every text is distinct) themed in a fresh process; its wall time and
peak resident memory (``VmHWM``) are printed. Targets: ARI >= 0.6; 10,000 answers < 30 s and
< 500 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
SETS = ("themes_tuning.txt", "themes_tuning2.txt", "themes_holdout.txt")


def load(name: str) -> tuple[list[str], list[str]]:
    texts, labels, label = [], [], None
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            label = line[3:].strip()
        elif line.strip() and not line.startswith("# ") and label:
            texts.append(line.strip())
            labels.append(label)
    return texts, labels


def quality(name: str) -> float:
    from sklearn.metrics import adjusted_rand_score

    from app.analysis.themes.method import suggest_themes

    texts, truth = load(name)
    found = suggest_themes(list(enumerate(texts)))
    predicted = ["other"] * len(texts)
    for n, theme in enumerate(found.themes):
        for i in theme.member_ids:
            predicted[i] = f"t{n}"
    ari = adjusted_rand_score(truth, predicted)
    role = "held out" if "holdout" in name else "tuning"
    print(
        f"{name} ({role}): {len(texts)} answers, {len(set(truth))} labelled themes; "
        f"{len(found.themes)} suggested, {len(found.other_ids)} left as other"
    )
    print(f"  adjusted Rand index {ari:.3f} (target >= 0.6)")
    themed = [i for i, p in enumerate(predicted) if p != "other"]
    if themed:
        inner = adjusted_rand_score([truth[i] for i in themed], [predicted[i] for i in themed])
        print(f"  adjusted Rand index among the {len(themed)} answers given a theme: {inner:.3f}")
    for label, size in sorted(Counter(truth).items(), key=lambda kv: -kv[1]):
        best, best_theme = 0.0, None
        members = {i for i, t in enumerate(truth) if t == label}
        for theme in found.themes:
            got = set(theme.member_ids)
            hit = len(got & members)
            if hit:
                f1 = 2 * hit / (len(got) + len(members))
                if f1 > best:
                    best, best_theme = f1, theme
        described = f"“{best_theme.label}”" if best_theme else "none"
        print(f"  {label:<18} {size:>3} answers  F1 {best:.2f}  best match {described}")
    return ari


def synthetic(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    base = [t for name in SETS for t in load(name)[0]]
    texts = []
    for i in range(n):
        text = rng.choice(base)
        if rng.random() < 0.5:
            text += " " + rng.choice(base)
        words = text.split()
        for _ in range(rng.randint(0, 3)):  # typos: a letter dropped or doubled
            j = rng.randrange(len(words))
            w = words[j]
            if len(w) > 3:
                k = rng.randrange(1, len(w) - 1)
                words[j] = w[:k] + w[k + 1 :] if rng.random() < 0.5 else w[:k] + w[k] + w[k:]
        texts.append(" ".join(words) + ("" if i % 3 else f" ({i})"))
    return texts


def speed_child(n: int) -> None:
    from app.analysis.themes.method import suggest_themes

    texts = synthetic(n)
    start = time.perf_counter()
    found = suggest_themes(list(enumerate(texts)))
    elapsed = time.perf_counter() - start
    peak = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) // 1024
    print(
        json.dumps({"answers": n, "seconds": elapsed, "peak_mb": peak, "themes": len(found.themes)})
    )


def speed(n: int) -> bool:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(n)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    ok = result["seconds"] < 30 and result["peak_mb"] < 500
    print(
        f"speed: {result['answers']:,} answers to one question themed in {result['seconds']:.1f} s "
        f"(target < 30 s), peak memory {result['peak_mb']} MB (target < 500 MB), "
        f"{result['themes']} themes: {'PASS' if ok else 'FAIL'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or " ").split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--only", choices=["quality", "speed"])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        speed_child(args.child)
        return
    if args.only != "speed":
        for name in SETS:
            quality(name)
    if args.only != "quality":
        speed(args.answers)


if __name__ == "__main__":
    main()
