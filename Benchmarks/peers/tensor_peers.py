#!/usr/bin/env python3
"""The peer of the `tensor` benchmark group: PyTorch (CPU) eager ops, in one process.

deviceshim-benchmarks drives this script over stdin/stdout so that DeviceShim's tensor
engine and PyTorch take turns, in rounds, in the same run. Each request is one line,
`CASE SIZE WARMUP REPETITIONS`; each reply is one line of JSON, {"torch": "s1 s2 ..."} with
samples in seconds. The first line written is a greeting with versions, or an error.

Cases mirror TensorBenchmarks.swift, float32, operands made at a case's first request:
  matmul N     (N x N) @ (N x N)
  add N, mul N a + b, a * b on N elements (a new output each time, as DeviceShim's ops make;
               add also at N = 4096, where the cost per op dominates)
  sum N        a.sum() over N elements
  sumdim N     a.sum(dim=1) of an (N / 1024) x 1024 matrix
  softmax N    a.softmax(dim=1) of an (N / 1024) x 1024 matrix
  chain N      (a * b + c).relu().sum() on N elements
  where N      torch.where(mask, a, b) on N elements, the bool mask (a > 0) made once
  gather N     a.gather(1, index) of an (N / 1024) x 1024 matrix, index int64 in [0, 1024)
  scatter N    a.scatter_add(1, index, src) of (N / 1024) x 1024 matrices, index as gather's
  sort N       a.sort(dim=1, stable=True) of an (N / 1024) x 1024 matrix (values and indices)
The survey's cases (TensorSurvey.swift, measured without a target) are in survey_operation.
"""
import sys

from device_peers import reply, samples_seconds  # the same protocol and timing as the devices group


def operation(torch, case, size):
    generator = torch.Generator().manual_seed(size)
    if case == "matmul":
        a, b = torch.randn(size, size, generator=generator), torch.randn(size, size, generator=generator)
        return lambda: a @ b
    if case == "gather":
        a = torch.randn(size // 1024, 1024, generator=generator)
        index = torch.randint(0, 1024, (size // 1024, 1024), generator=generator)
        return lambda: a.gather(1, index)
    if case == "scatter":
        a, src = torch.randn(size // 1024, 1024, generator=generator), torch.randn(size // 1024, 1024, generator=generator)
        index = torch.randint(0, 1024, (size // 1024, 1024), generator=generator)
        return lambda: a.scatter_add(1, index, src)
    survey = survey_operation(torch, case, size, generator)
    if survey:
        return survey
    if case in ("sumdim", "softmax", "sort"):
        a = torch.randn(size // 1024, 1024, generator=generator)
        return {"sumdim": lambda: a.sum(dim=1), "softmax": lambda: a.softmax(dim=1),
                "sort": lambda: a.sort(dim=1, stable=True)}[case]
    a, b, c = (torch.randn(size, generator=generator) for _ in range(3))
    mask = a > 0
    return {
        "add": lambda: a + b,
        "mul": lambda: a * b,
        "sum": lambda: a.sum(),
        "chain": lambda: (a * b + c).relu().sum(),
        "where": lambda: torch.where(mask, a, b),
    }[case]


SURVEY_CASES = ("exp", "gelu", "logsoftmax", "cumsum", "cumsum0", "softmax0", "argmax", "var", "mean0", "maxdim", "norm",
                "addT", "addrow", "addcol", "cat", "indexselect", "topk", "transposecopy", "bmm", "bmm64", "bmm16", "bmmbf16",
                "mmbf16", "add64", "addint")


def survey_operation(torch, case, size, generator):
    """The cases of TensorSurvey.swift (no target), or None for another case."""
    if case not in SURVEY_CASES:
        return None
    if case in ("exp", "gelu", "norm", "add64", "addint"):
        a, b = torch.randn(size, generator=generator), torch.randn(size, generator=generator)
        if case == "add64":
            x, y = a.double(), b.double()
            return lambda: x + y
        if case == "addint":
            i, j = (a * 100).long(), (b * 100).long()
            return lambda: i + j
        return {"exp": lambda: a.exp(), "gelu": lambda: torch.nn.functional.gelu(a), "norm": lambda: a.norm()}[case]
    rows = torch.randn(size // 1024, 1024, generator=generator)
    if case == "addT":
        other = torch.randn(1024, size // 1024, generator=generator)
        return lambda: rows + other.t()
    if case == "addrow":
        row = torch.randn(1024, generator=generator)
        return lambda: rows + row
    if case == "addcol":
        column = torch.randn(size // 1024, 1, generator=generator)
        return lambda: rows + column
    if case == "indexselect":
        index = torch.randint(0, size // 1024, (size // 1024,), generator=generator)
        return lambda: rows.index_select(0, index)
    if case.startswith("bmm"):
        x, y = torch.randn(64, 128, 128, generator=generator), torch.randn(64, 128, 128, generator=generator)
        dtype = {"bmm": torch.float32, "bmm64": torch.float64, "bmm16": torch.float16, "bmmbf16": torch.bfloat16}[case]
        x, y = x.to(dtype), y.to(dtype)
        return lambda: x @ y
    if case == "mmbf16":
        x = torch.randn(1024, 1024, generator=generator).bfloat16()
        y = torch.randn(1024, 1024, generator=generator).bfloat16()
        return lambda: x @ y
    return {"logsoftmax": lambda: rows.log_softmax(1), "cumsum": lambda: rows.cumsum(1),
            "cumsum0": lambda: rows.cumsum(0), "softmax0": lambda: rows.softmax(0), "argmax": lambda: rows.argmax(1),
            "var": lambda: rows.var(1), "mean0": lambda: rows.mean(0), "maxdim": lambda: rows.max(1).values,
            "cat": lambda: torch.cat([rows, rows], 1), "topk": lambda: rows.topk(8, 1).values,
            "transposecopy": lambda: rows.t().contiguous()}[case]


def main():
    try:
        import torch
    except ImportError as error:
        reply({"error": f"{error} (scripts/benchmark.sh installs torch)"})
        return
    reply({"torch": torch.__version__, "torch_threads": torch.get_num_threads()})
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        case, size, warmup, repetitions = words[0], int(words[1]), int(words[2]), int(words[3])
        body = operation(torch, case, size)
        with torch.no_grad():
            reply({"torch": samples_seconds(body, warmup, repetitions)})


if __name__ == "__main__":
    main()
