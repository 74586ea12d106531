"""Classifier throughput and latency on CPU: texts/s at batch 1 and 32, p50/p95, peak RSS.

    python benchmarks/classify_model.py [--model PATH] [--threads 2] [--texts 400]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from a checkout


def _texts(count: int) -> list[str]:
    from classifiers.data.io import read_examples

    path = ROOT / "classifiers" / "data" / "test.jsonl"
    texts = [t for t, _ in read_examples(path)]
    return (texts * (count // len(texts) + 1))[:count]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model folder (default: CLASSIFIER_MODEL or shipped)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--texts", type=int, default=400)
    args = parser.parse_args(argv)
    os.environ["CLASSIFIER_THREADS"] = str(args.threads)

    from classifiers import load_classifier

    started = time.perf_counter()
    classifier = load_classifier(args.model)
    load_s = time.perf_counter() - started
    texts = _texts(args.texts)
    classifier.predict(texts[:64])  # warm-up

    latencies = []
    started = time.perf_counter()
    for text in texts:
        t0 = time.perf_counter()
        classifier.predict([text])
        latencies.append(time.perf_counter() - t0)
    batch1 = len(texts) / (time.perf_counter() - started)

    started = time.perf_counter()
    classifier.predict(texts, batch_size=32)
    batch32 = len(texts) / (time.perf_counter() - started)

    size_mb = sum(p.stat().st_size for p in classifier.model_dir.iterdir() if p.is_file()) / 2**20
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    mean_chars = statistics.mean(len(t) for t in texts)
    print(f"model: {classifier.model_dir} ({size_mb:.1f} MB on disk, loaded in {load_s:.2f} s)")
    print(f"threads: {classifier.threads}; texts: {len(texts)} from the test split (mean {mean_chars:.0f} chars)")
    print(f"batch 1:  {batch1:8.1f} texts/s   (target >= 150)")
    print(f"batch 32: {batch32:8.1f} texts/s   (target >= 500)")
    print(f"latency per text at batch 1: p50 {1000 * _percentile(latencies, 0.5):.2f} ms, "
          f"p95 {1000 * _percentile(latencies, 0.95):.2f} ms")
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
