#!/usr/bin/env python3
"""The peers of the `devices` benchmark group: numpy and PyTorch (CPU) in one process.

deviceshim-benchmarks starts this script with python3 and drives it over stdin/stdout so
that DeviceShim and its peers take turns, in rounds, in the same run. Each request is one
line, `CASE SIZE WARMUP REPETITIONS` (CASE: gemm, add, mul, sum); each reply is one line of
JSON with each peer's samples in seconds, space-separated, e.g. {"numpy": "0.0021 0.0020",
"torch": "0.0019 0.0018"}. The first line written is a greeting with versions and thread
counts, or an error.

Operands are float32, created at a case's first request and kept for its later rounds;
outputs are preallocated (`out=`), as DeviceShim's are. A GEMM of SIZE is SIZE x SIZE x
SIZE; the others have SIZE elements.
"""
import json
import sys
import time

PAUSE_SECONDS = 0.3  # lets the previous peer's BLAS/OpenMP threads stop spinning


def reply(payload):
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def samples_seconds(body, warmup, repetitions):
    for _ in range(warmup):
        body()
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter_ns()
        body()
        samples.append((time.perf_counter_ns() - start) / 1e9)
    return " ".join(f"{sample:.9f}" for sample in samples)


def numpy_case(np, case, size):
    rng = np.random.default_rng(size)
    if case == "gemm":
        a, b = rng.standard_normal((size, size), dtype=np.float32), rng.standard_normal((size, size), dtype=np.float32)
        c = np.empty((size, size), dtype=np.float32)
        return lambda: np.matmul(a, b, out=c)
    a, b = rng.standard_normal(size, dtype=np.float32), rng.standard_normal(size, dtype=np.float32)
    c = np.empty(size, dtype=np.float32)
    if case == "add":
        return lambda: np.add(a, b, out=c)
    if case == "mul":
        return lambda: np.multiply(a, b, out=c)
    return lambda: np.sum(a)


def torch_case(torch, case, size):
    generator = torch.Generator().manual_seed(size)
    if case == "gemm":
        a, b = torch.randn(size, size, generator=generator), torch.randn(size, size, generator=generator)
        c = torch.empty(size, size)
        return lambda: torch.mm(a, b, out=c)
    a, b = torch.randn(size, generator=generator), torch.randn(size, generator=generator)
    c = torch.empty(size)
    if case == "add":
        return lambda: torch.add(a, b, out=c)
    if case == "mul":
        return lambda: torch.mul(a, b, out=c)
    return lambda: torch.sum(a)


def main():
    try:
        import numpy as np
        import torch
    except ImportError as error:
        reply({"error": f"{error} (scripts/benchmark.sh installs numpy and torch)"})
        return
    reply({"numpy": np.__version__, "torch": torch.__version__, "torch_threads": torch.get_num_threads()})
    operations = {}
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        case, size, warmup, repetitions = words[0], int(words[1]), int(words[2]), int(words[3])
        if case not in ("gemm", "add", "mul", "sum"):
            reply({"error": f"unknown case {case}"})
            continue
        if (case, size) not in operations:
            operations.clear()  # one case's operands at a time
            operations[(case, size)] = (numpy_case(np, case, size), torch_case(torch, case, size))
        numpy_operation, torch_operation = operations[(case, size)]
        with torch.no_grad():
            numpy_samples = samples_seconds(numpy_operation, warmup, repetitions)
            time.sleep(PAUSE_SECONDS)
            torch_samples = samples_seconds(torch_operation, warmup, repetitions)
        reply({"numpy": numpy_samples, "torch": torch_samples})


if __name__ == "__main__":
    main()
