#!/usr/bin/env python3
"""Generates Tests/Tensor/Reference/*.json: reference vectors for the tensor engine, from PyTorch CPU.

Every case is an op call, `torch.<op>(*inputs, **kwargs)`, with its inputs and PyTorch's result
(or PyTorch's error). A Swift harness replays every case against the engine on every backend;
Tests/Tensor/Reference/README.md is the format's specification.

Each case is built as JSON first, decoded back into PyTorch objects and executed from that
JSON, so what the files say is exactly what was run. Output is deterministic: inputs come from
a seeded torch.Generator (integer draws only, which do not depend on the CPU), keys are sorted,
floats are written with repr(float(x)), and ATen is pinned to its portable (non-SIMD) kernels
with ATEN_CPU_CAPABILITY=default, because the AVX2 and AVX-512 kernels differ in last bits.

usage: scripts/generate-tensor-references.py [--check]
  --check  write nothing; exit 1 if a committed file differs from what would be generated,
           but for last bits of toleranced float results (within a tenth of the case's
           tolerance), which depend on the CPU's libm and BLAS
"""

import argparse
import json
import pathlib
import sys

# The families live beside this script; common sets ATen up before it imports torch.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from tensor_references.common import GENERATOR, OUTPUT, ROOT, Family, torch  # noqa: E402
from tensor_references.elementwise import binary, creation, promotion, unary, views  # noqa: E402
from tensor_references.operations import indexing, joining, matmul, reductions  # noqa: E402
from tensor_references.ordering import errors, overlapping, scans, sorting  # noqa: E402

FAMILIES = [
    ("creation", creation), ("views", views), ("unary", unary), ("binary", binary),
    ("promotion", promotion), ("reductions", reductions), ("matmul", matmul), ("joining", joining),
    ("indexing", indexing), ("scans", scans), ("sorting", sorting), ("errors", errors),
    ("overlapping", overlapping),
]


# ---------------------------------------------------------------------------------------------

def render(cases):
    """One case per line (reviewable diffs), keys sorted, floats as repr."""
    lines = ["{", '"cases": [']
    for index, case in enumerate(cases):
        text = json.dumps(case, sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=True)
        lines.append(text + ("," if index + 1 < len(cases) else ""))
    lines.append("],")
    lines.append(f'"generator": {json.dumps(GENERATOR)},')
    lines.append(f'"torch": {json.dumps(torch.__version__)}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate():
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    outputs = {}
    for name, build in FAMILIES:
        family = Family(name)
        build(family)
        outputs[f"{name}.json"] = (render(family.cases), len(family.cases))
    return outputs


def close_enough(old, new, tolerance):
    """Whether two decoded JSON values are equal but for floats within a tenth of `tolerance`
    (a case's {"rtol", "atol"}; None: floats must be equal too)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(close_enough(old[k], new[k], tolerance) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(close_enough(a, b, tolerance) for a, b in zip(old, new))
    if isinstance(old, float) and isinstance(new, float) and tolerance:
        return abs(old - new) <= (tolerance["atol"] + tolerance["rtol"] * abs(new)) / 10
    return type(old) is type(new) and old == new


def last_bit_differences(old_text, new_text):
    """The names of the cases that differ only in the last bits of toleranced float results
    (which a CPU's libm and BLAS decide: MKL and glibc give other last bits on AMD CPUs than
    on Intel's), or None when the files differ in any other way."""
    try:
        old_file, new_file = json.loads(old_text), json.loads(new_text)
    except ValueError:
        return None
    old_cases, new_cases = old_file.pop("cases", None), new_file.pop("cases", None)
    if old_file != new_file or not isinstance(old_cases, list) or len(old_cases) != len(new_cases):
        return None
    names = []
    for old, new in zip(old_cases, new_cases):
        if old == new:
            continue
        rest_old = {k: v for k, v in old.items() if k != "expected"}
        rest_new = {k: v for k, v in new.items() if k != "expected"}
        if rest_old != rest_new or not close_enough(old.get("expected"), new.get("expected"), new.get("tolerance")):
            return None
        names.append(new.get("name"))
    return names


def case_names(text):
    try:
        return {json.dumps(c, sort_keys=True): c.get("name") for c in json.loads(text)["cases"]}
    except (ValueError, KeyError, TypeError):
        return {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a committed file differs from what would be generated "
                             "(but for last bits of toleranced float results)")
    args = parser.parse_args()
    outputs = generate()
    if args.check:
        stale, accepted = [], 0
        for file, (text, _) in outputs.items():
            path = OUTPUT / file
            old = path.read_text() if path.exists() else None
            if old == text:
                continue
            near = last_bit_differences(old, text) if old is not None else None
            if near is not None:
                accepted += len(near)
                print(f"{path.relative_to(ROOT)}: {len(near)} cases differ from this machine's PyTorch in last bits "
                      f"only (within a tenth of their tolerance): {', '.join(map(str, near[:4]))}"
                      + (" …" if len(near) > 4 else ""))
                continue
            stale.append(file)
            if old is None:
                print(f"{path.relative_to(ROOT)}: missing", file=sys.stderr)
                continue
            before, after = case_names(old), case_names(text)
            changed = sorted({n for k, n in after.items() if k not in before}
                             | {n for k, n in before.items() if k not in after}, key=str)
            detail = ", ".join(map(str, changed[:8])) + (" …" if len(changed) > 8 else "")
            print(f"{path.relative_to(ROOT)}: differs ({len(changed)} cases: {detail or 'header/format'})",
                  file=sys.stderr)
        if stale:
            print(f"generate-tensor-references: {len(stale)} file(s) out of date; "
                  "run python3 scripts/generate-tensor-references.py", file=sys.stderr)
            return 1
        print(f"generate-tensor-references: {len(outputs)} files up to date "
              f"({sum(n for _, n in outputs.values())} cases"
              + (f", {accepted} of them within last-bit differences" if accepted else "") + ")")
        return 0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for file, (text, count) in outputs.items():
        (OUTPUT / file).write_text(text)
        print(f"{(OUTPUT / file).relative_to(ROOT)}: {count} cases, {len(text.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
