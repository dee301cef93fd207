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

import os

# Before torch is imported: ATen reads these once, at load.
os.environ["ATEN_CPU_CAPABILITY"] = "default"
os.environ["TORCH_SHOW_CPP_STACKTRACES"] = "0"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
import zlib  # noqa: E402

import torch  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "Tests/Tensor/Reference"
GENERATOR = "scripts/generate-tensor-references.py"
MAX_ELEMENTS = 64

DTYPES = {
    "float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
    "bfloat16": torch.bfloat16, "int32": torch.int32, "int64": torch.int64,
    "uint8": torch.uint8, "bool": torch.bool,
}
DTYPE_NAMES = {value: key for key, value in DTYPES.items()}
FLOATS = ["float32", "float64", "float16", "bfloat16"]
INTS = ["int32", "int64", "uint8"]
ALL = FLOATS + INTS + ["bool"]

# (rtol, atol) per tolerance class and floating result dtype; a match is
# |actual - expected| <= atol + rtol * |expected|. Cases of class None are exact.
TOLERANCES = {
    # Correctly rounded in IEEE arithmetic, but an implementation may fuse, reassociate or use
    # a division that is not correctly rounded.
    "rounded": {"float32": (1e-6, 1e-7), "float64": (1e-14, 1e-15),
                "float16": (2e-3, 1e-5), "bfloat16": (1e-2, 1e-5)},
    # libm-style functions: any faithful implementation is within a few ulp.
    "transcendental": {"float32": (1e-5, 1e-6), "float64": (1e-12, 1e-14),
                       "float16": (1e-2, 1e-3), "bfloat16": (2e-2, 1e-3)},
    # Sums and products of several elements: the order of accumulation is free.
    "accumulate": {"float32": (1e-5, 1e-5), "float64": (1e-12, 1e-12),
                   "float16": (1e-2, 1e-2), "bfloat16": (2e-2, 2e-2)},
}

# Ops whose first argument is a sequence of tensors: torch.<op>(inputs, **kwargs).
SEQUENCE_OPS = {"cat", "stack"}

NAN, INF = float("nan"), float("inf")
# Special values for float unary ops: nan, ±inf, ±0, halves (rounding), large magnitudes.
SPECIAL = [NAN, INF, -INF, -0.0, 0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 100.0, -100.0]
# PyTorch's vectorised float gelu gives nan for +inf where its scalar path gives inf: which one
# a case sees depends on the element's position, so gelu's specials leave the infinities out.
GELU_SPECIAL = [NAN, 10.0, -10.0, -0.0, 0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 100.0, -100.0]


def fail(message):
    sys.exit(f"generate-tensor-references: {message}")


class S:
    """A Python number argument of a definite kind (PyTorch's type promotion depends on it)."""

    def __init__(self, value):
        assert isinstance(value, (bool, int, float))
        self.value = value


def kind_of(value):
    if isinstance(value, bool):
        return "bool"
    return "int" if isinstance(value, int) else "float"


# ---------------------------------------------------------------------------------------------
# Encoding and decoding

def encode_float(value):
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value  # json writes float.__repr__: the shortest string that round-trips


def decode_float(value):
    return {"nan": NAN, "inf": INF, "-inf": -INF}[value] if isinstance(value, str) else float(value)


def encode_values(tensor):
    name = DTYPE_NAMES[tensor.dtype]
    values = tensor.detach().contiguous().reshape(-1).tolist()
    if name == "bool":
        return [bool(v) for v in values]
    if name in INTS:
        return [int(v) for v in values]
    return [encode_float(v) for v in values]


def encode_tensor(tensor):
    if tensor.dtype not in DTYPE_NAMES:
        fail(f"unsupported dtype {tensor.dtype}")
    if tensor.numel() > MAX_ELEMENTS:
        fail(f"tensor of {tensor.numel()} elements (limit {MAX_ELEMENTS})")
    encoded = {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape),
               "data": encode_values(tensor)}
    return encoded


def storage_size(shape, strides, offset):
    """Elements of storage a strided layout reaches: offset + the last element's position + 1."""
    if any(size == 0 for size in shape):
        return offset
    return offset + sum((size - 1) * stride for size, stride in zip(shape, strides)) + 1


# What a strided input's storage holds outside its elements: a kernel that reads past a view's
# offset, steps or ends puts these into its result.
POISON = {"float": NAN, "int": 101, "bool": True}


def poison(dtype):
    return POISON["float" if dtype.is_floating_point else ("bool" if dtype == torch.bool else "int")]


def may_overlap(shape, strides):
    """Whether two elements of a strided layout may share storage: taken by increasing stride,
    each dim must step past everything the dims before it reach."""
    reach = 1
    for stride, size in sorted((stride, size) for stride, size in zip(strides, shape) if size > 1):
        if stride < reach:
            return True
        reach += stride * (size - 1)
    return False


def encode_input_tensor(tensor):
    encoded = encode_tensor(tensor)
    if not tensor.is_contiguous() or tensor.storage_offset() != 0:
        encoded["strides"] = list(tensor.stride())
        if tensor.storage_offset():
            encoded["offset"] = tensor.storage_offset()
    return encoded


def encode_arg(value, key=None):
    if isinstance(value, torch.Tensor):
        return encode_input_tensor(value)
    if isinstance(value, S):
        v = value.value
        kind = kind_of(v)
        return {"scalar": encode_float(v) if kind == "float" else v, "kind": kind}
    if isinstance(value, torch.dtype):
        assert key == "dtype"
        return DTYPE_NAMES[value]
    if isinstance(value, (list, tuple)):
        assert all(isinstance(v, int) and not isinstance(v, bool) for v in value), value
        return list(value)
    if isinstance(value, float):
        fail(f"a float argument must be wrapped in S(...) to record its kind: {key}={value}")
    assert value is None or isinstance(value, (bool, int, str)), (key, value)
    return value


def decode_tensor(spec):
    dtype = DTYPES[spec["dtype"]]
    shape = spec["shape"]
    if dtype.is_floating_point:
        flat = torch.tensor([decode_float(v) for v in spec["data"]], dtype=torch.float64).to(dtype)
    else:
        flat = torch.tensor(spec["data"], dtype=torch.int64 if dtype != torch.bool else torch.bool)
        flat = flat.to(dtype)
    logical = flat.reshape(shape)
    if "strides" not in spec:
        return logical
    offset = spec.get("offset", 0)
    storage = torch.full((storage_size(shape, spec["strides"], offset),), poison(dtype), dtype=dtype)
    strided = torch.as_strided(storage, shape, spec["strides"], offset)
    if not may_overlap(shape, spec["strides"]):
        strided.copy_(logical)
        return strided
    # Elements that share storage (an expanded or sliding-window input): PyTorch refuses to copy
    # into such a view, so each storage element is written once, and the elements that share it
    # must agree.
    written = {}
    for position in torch.cartesian_prod(*[torch.arange(n) for n in shape]).reshape(-1, len(shape)).tolist() \
            if shape else [[]]:
        at = offset + sum(i * stride for i, stride in zip(position, spec["strides"]))
        value = logical[tuple(position)] if shape else logical
        if at in written and not (written[at] == value or (written[at] != written[at] and value != value)):
            fail(f"elements sharing storage element {at} differ: {written[at]} and {value}")
        written[at] = value
        storage[at] = value
    return strided


def decode_arg(value, key=None):
    if key == "dtype":
        return DTYPES[value]
    if isinstance(value, dict) and "scalar" in value:
        kind = value["kind"]
        raw = value["scalar"]
        return decode_float(raw) if kind == "float" else (bool(raw) if kind == "bool" else int(raw))
    if isinstance(value, dict):
        return decode_tensor(value)
    return value


def execute(op, method, inputs, kwargs):
    """Calls PyTorch the way the README says a case is to be read."""
    if op == "slice":
        (tensor,) = inputs
        dim = kwargs["dim"] % tensor.dim()
        index = (slice(None),) * dim + (slice(kwargs["start"], kwargs["end"], kwargs["step"]),)
        return tensor[index]
    if method:
        return getattr(inputs[0], op)(*inputs[1:], **kwargs)
    function = torch
    for part in op.split("."):
        function = getattr(function, part)
    if op in SEQUENCE_OPS:
        return function(list(inputs), **kwargs)
    return function(*inputs, **kwargs)


# ---------------------------------------------------------------------------------------------
# Cases

class Rand:
    """Inputs from integer draws of a seeded torch.Generator (exact on every CPU)."""

    def __init__(self, seed):
        self.generator = torch.Generator().manual_seed(seed)

    def _draw(self, shape, low, high):  # integers in [low, high]
        return torch.randint(low, high + 1, tuple(shape), generator=self.generator, dtype=torch.int64)

    def uniform(self, shape, dtype="float32", low=-4.0, high=4.0):
        """Full-precision values, uniform in [low, high)."""
        k = self._draw(shape, 0, 2**24 - 1).to(torch.float64)
        return (low + (high - low) * k / 2**24).to(DTYPES[dtype])

    def grid(self, shape, dtype="float32", low=-4.0, high=4.0, step=0.25):
        """Multiples of step in [low, high]: short to write, exact in every float dtype, ties."""
        k = self._draw(shape, round(low / step), round(high / step)).to(torch.float64)
        return (k * step).to(DTYPES[dtype])

    def ints(self, shape, dtype="int32", low=-9, high=9):
        return self._draw(shape, low, high).to(DTYPES[dtype])

    def nonzero_ints(self, shape, dtype="int32", high=9):
        k = self._draw(shape, 1, high)
        sign = self._draw(shape, 0, 1) * 2 - 1
        return (k * sign).to(DTYPES[dtype])

    def bools(self, shape):
        return self._draw(shape, 0, 1).to(torch.bool)

    def perm(self, n):
        return self._draw([n], 0, 2**30).argsort(stable=True)

    def any(self, shape, dtype):
        """Small values of any dtype (grid for floats, signed ints, 0...20 for uint8)."""
        if dtype in FLOATS:
            return self.grid(shape, dtype)
        if dtype == "bool":
            return self.bools(shape)
        return self.ints(shape, dtype, 0 if dtype == "uint8" else -9, 20 if dtype == "uint8" else 9)


def _all_bools(values):
    if isinstance(values, (list, tuple)):
        return all(_all_bools(v) for v in values)
    return isinstance(values, bool)


def T(values, dtype=None):
    """An explicit tensor (values nested like torch.tensor's): bool if every value is a bool,
    else float32 unless dtype says otherwise."""
    dtype = DTYPES[dtype or ("bool" if _all_bools(values) else "float32")]
    if dtype.is_floating_point:
        return torch.tensor(values, dtype=torch.float64).to(dtype)
    if dtype == torch.bool:
        return torch.tensor(values, dtype=torch.bool)
    return torch.tensor(values, dtype=torch.int64).to(dtype)


def gappy(make, shape):
    """A view of `shape` with a storage offset and a gap after every element of every dim:
    `make` draws a tensor of 2·size + 1 per dim, which is sliced [1::2] along each."""
    base = make([2 * size + 1 for size in shape])
    return base[tuple(slice(1, None, 2) for _ in shape)]


class Family:
    def __init__(self, name):
        self.name = name
        self.cases = []
        self.names = set()
        self.rand = Rand(zlib.crc32(name.encode()))

    def _spec(self, name, op, inputs, kwargs, method):
        if name in self.names:
            fail(f"{self.name}: duplicate case name {name}")
        self.names.add(name)
        spec = {"name": name, "op": op, "inputs": [encode_arg(v) for v in inputs],
                "kwargs": {k: encode_arg(v, k) for k, v in (kwargs or {}).items()}}
        if method:
            spec["method"] = True
        decoded_inputs = [decode_arg(v) for v in spec["inputs"]]
        decoded_kwargs = {k: decode_arg(v, k) for k, v in spec["kwargs"].items()}
        return spec, decoded_inputs, decoded_kwargs

    def add(self, name, op, inputs=(), kwargs=None, tol=None, method=False):
        """A case PyTorch computes; tol is a TOLERANCES class or None (exact)."""
        spec, inputs, kwargs = self._spec(name, op, inputs, kwargs, method)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = execute(spec["op"], method, inputs, kwargs)
        except Exception as error:  # noqa: BLE001
            fail(f"{self.name}/{name}: PyTorch raised {type(error).__name__}: {error}")
        if isinstance(result, torch.Tensor):
            spec["expected"] = encode_tensor(result)
            outputs = [result]
            first = inputs[0] if inputs else None
            if (isinstance(first, torch.Tensor) and result.numel() > 0 and first.numel() > 0
                    and result.untyped_storage().data_ptr() == first.untyped_storage().data_ptr()):
                spec["view_strides"] = list(result.stride())
                spec["view_offset"] = result.storage_offset()
        elif isinstance(result, (tuple, list)) and all(isinstance(r, torch.Tensor) for r in result):
            spec["expected"] = [encode_tensor(r) for r in result]
            outputs = list(result)
        else:
            fail(f"{self.name}/{name}: unexpected result {type(result)}")
        floating = [DTYPE_NAMES[r.dtype] for r in outputs if r.dtype.is_floating_point]
        if tol is not None and floating:
            rtol, atol = TOLERANCES[tol][floating[0]]
            spec["tolerance"] = {"rtol": rtol, "atol": atol}
        self.cases.append(spec)

    def error(self, name, op, inputs=(), kwargs=None, method=False):
        """A case PyTorch refuses."""
        spec, inputs, kwargs = self._spec(name, op, inputs, kwargs, method)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                execute(spec["op"], method, inputs, kwargs)
        except Exception as error:  # noqa: BLE001
            message = str(error).strip().splitlines()[0].strip() if str(error).strip() else ""
            spec["expected"] = {"error": type(error).__name__, "message": message}
            self.cases.append(spec)
            return
        fail(f"{self.name}/{name}: PyTorch did not raise")


# --- creation ---------------------------------------------------------------------------------

def creation(f):
    for op in ["zeros", "ones"]:
        f.add(f"{op}/default/2x3", op, kwargs={"size": [2, 3]})
        f.add(f"{op}/default/0-dim", op, kwargs={"size": []})
        f.add(f"{op}/default/empty", op, kwargs={"size": [0, 3]})
        for d in ALL:
            f.add(f"{op}/{d}/3x2", op, kwargs={"size": [3, 2], "dtype": d})

    full = [
        ("int-infers-int64", 7, None), ("negative-int", -3, None),
        ("float-infers-float32", 2.5, None), ("bool-infers-bool", True, None),
        ("nan", NAN, None), ("-inf", -INF, None), ("-0.0", -0.0, None),
        ("float-to-int32-truncates", 3.7, "int32"), ("negative-float-to-int64-truncates", -3.7, "int64"),
        ("negative-int-to-uint8-wraps", -1, "uint8"), ("int-to-float64", 7, "float64"),
        ("float-to-float16-rounds", 1 / 3, "float16"), ("float-to-bfloat16-rounds", 1 / 3, "bfloat16"),
        ("float-to-float32-rounds", 0.1, "float32"), ("bool-to-float32", True, "float32"),
        ("float-to-bool", 0.1, "bool"), ("zero-to-bool", 0, "bool"), ("int-to-uint8", 200, "uint8"),
        ("int-to-int32", -5, "int32"), ("float16-max", 65504.0, "float16"),
        ("float16-subnormal", 2.0**-24, "float16"),
    ]
    for name, value, dtype in full:
        kwargs = {"size": [2, 2], "fill_value": S(value)}
        if dtype:
            kwargs["dtype"] = dtype
        f.add(f"full/{name}", "full", kwargs=kwargs)
    f.add("full/0-dim", "full", kwargs={"size": [], "fill_value": S(1.5)})

    arange = [
        ("int/end", {"end": S(5)}, None),
        ("int/empty", {"end": S(0)}, None),
        ("int/start-end-step", {"start": S(1), "end": S(10), "step": S(3)}, None),
        ("int/negative-step", {"start": S(5), "end": S(-5), "step": S(-2)}, None),
        ("int/negative-start", {"start": S(-3), "end": S(3)}, None),
        ("float/end", {"end": S(2.5)}, None),
        ("float/tenths", {"start": S(0.0), "end": S(1.0), "step": S(0.1)}, "rounded"),
        ("float/negative-step", {"start": S(1.0), "end": S(-1.0), "step": S(-0.25)}, None),
        ("float/symmetric-tenths", {"start": S(-1.0), "end": S(1.0), "step": S(0.1)}, "rounded"),
        ("float/inexact-end-includes-end", {"start": S(1), "end": S(1.3), "step": S(0.1)}, "rounded"),
        ("int-bounds-float-step", {"start": S(0), "end": S(5), "step": S(0.5)}, None),
        ("int-args/float64", {"end": S(5), "dtype": "float64"}, None),
        ("int-args/int32", {"start": S(0), "end": S(10), "step": S(3), "dtype": "int32"}, None),
        ("int-args/uint8", {"start": S(0), "end": S(6), "dtype": "uint8"}, None),
        ("int-args/float16", {"end": S(4), "dtype": "float16"}, None),
        ("float-args/bfloat16", {"start": S(-1.0), "end": S(1.0), "step": S(0.375), "dtype": "bfloat16"}, "rounded"),
        ("float-args/int64", {"start": S(0.5), "end": S(3.5), "dtype": "int64"}, None),
        ("float-args/float64", {"start": S(0.0), "end": S(1.0), "step": S(0.1), "dtype": "float64"}, "rounded"),
    ]
    for name, kwargs, tol in arange:
        f.add(f"arange/{name}", "arange", kwargs=kwargs, tol=tol)

    linspace = [
        ("float/0-1-5", {"start": S(0.0), "end": S(1.0), "steps": 5}, None),
        ("float/0-1-7", {"start": S(0.0), "end": S(1.0), "steps": 7}, "rounded"),
        ("float/steps-1", {"start": S(-1.0), "end": S(1.0), "steps": 1}, None),
        ("float/steps-0", {"start": S(0.0), "end": S(1.0), "steps": 0}, None),
        ("float/constant", {"start": S(1.0), "end": S(1.0), "steps": 3}, None),
        ("int-args-infer-float32", {"start": S(0), "end": S(10), "steps": 4}, "rounded"),
        ("decreasing/float64", {"start": S(5), "end": S(-5), "steps": 7, "dtype": "float64"}, "rounded"),
        ("int64-truncates", {"start": S(0), "end": S(10), "steps": 4, "dtype": "int64"}, None),
        ("int32-truncates-toward-zero", {"start": S(-5), "end": S(5), "steps": 4, "dtype": "int32"}, None),
        ("float16", {"start": S(0.0), "end": S(1.0), "steps": 5, "dtype": "float16"}, "rounded"),
        ("bfloat16", {"start": S(-2.5), "end": S(2.5), "steps": 11, "dtype": "bfloat16"}, "rounded"),
    ]
    for name, kwargs, tol in linspace:
        f.add(f"linspace/{name}", "linspace", kwargs=kwargs, tol=tol)

    eye = [("n3", {"n": 3}), ("n2-m4", {"n": 2, "m": 4}), ("n4-m2", {"n": 4, "m": 2}),
           ("n0", {"n": 0}), ("n1", {"n": 1}), ("n3-m0", {"n": 3, "m": 0}),
           ("int32", {"n": 3, "dtype": "int32"}), ("bool", {"n": 2, "m": 3, "dtype": "bool"}),
           ("float64", {"n": 2, "dtype": "float64"}), ("uint8", {"n": 3, "m": 2, "dtype": "uint8"}),
           ("float16", {"n": 2, "dtype": "float16"}), ("bfloat16", {"n": 2, "dtype": "bfloat16"}),
           ("int64", {"n": 2, "dtype": "int64"})]
    for name, kwargs in eye:
        f.add(f"eye/{name}", "eye", kwargs=kwargs)


# --- views ------------------------------------------------------------------------------------

def views(f):
    r = f.rand
    x = r.grid([2, 3, 4])
    xt = r.grid([3, 4]).t()  # shape [4, 3], strides [1, 4]
    xp = r.grid([2, 3, 4]).permute(2, 0, 1)  # shape [4, 2, 3], strides [1, 12, 4]

    for name, shape in [("6x4", [6, 4]), ("4x-1", [4, -1]), ("-1", [-1]), ("3x2x-1x2", [3, 2, -1, 2]),
                        ("same", [2, 3, 4])]:
        f.add(f"reshape/float32/{name}", "reshape", [x], {"shape": shape})
    f.add("reshape/int32/2x12", "reshape", [r.any([2, 3, 4], "int32")], {"shape": [2, 12]})
    f.add("reshape/0-dim-to-1", "reshape", [T(3.5)], {"shape": [1]})
    f.add("reshape/1-to-0-dim", "reshape", [T([3.5])], {"shape": []})
    f.add("reshape/empty", "reshape", [torch.zeros(0, 3)], {"shape": [3, 0]})
    f.add("reshape/transposed-flatten-copies", "reshape", [xt], {"shape": [-1]})
    f.add("reshape/transposed-split-dim-is-view", "reshape", [xt], {"shape": [2, 2, 3]})

    for name, size in [("4x6", [4, 6]), ("-1", [-1]), ("2x-1x3", [2, -1, 3]), ("1x24x1", [1, 24, 1])]:
        f.add(f"view/float32/{name}", "view", [x], {"size": size}, method=True)
    f.add("view/bool/3x8", "view", [r.bools([2, 3, 4])], {"size": [3, 8]}, method=True)
    f.add("view/float16/-1", "view", [r.grid([2, 3], "float16")], {"size": [-1]}, method=True)
    f.add("view/0-dim", "view", [T([2.0])], {"size": []}, method=True)
    f.add("view/transposed-split-dim", "view", [xt], {"size": [2, 2, 3]}, method=True)
    f.add("view/transposed-add-unit-dim", "view", [xt], {"size": [4, 3, 1]}, method=True)

    for name, dims in [("2-0-1", [2, 0, 1]), ("0-2-1", [0, 2, 1]), ("negative", [-1, 0, 1]),
                       ("identity", [0, 1, 2])]:
        f.add(f"permute/float32/{name}", "permute", [x], {"dims": dims})
    f.add("permute/int64/1-0", "permute", [r.any([3, 4], "int64")], {"dims": [1, 0]})
    f.add("permute/of-permuted", "permute", [xp], {"dims": [1, 2, 0]})

    for name, d0, d1 in [("0-2", 0, 2), ("negative", -1, -2), ("same-dim", 1, 1), ("1-0", 1, 0)]:
        f.add(f"transpose/float32/{name}", "transpose", [x], {"dim0": d0, "dim1": d1})
    f.add("transpose/bfloat16", "transpose", [r.grid([2, 3], "bfloat16")], {"dim0": 0, "dim1": 1})

    f.add("t/2-d", "t", [r.grid([3, 4])])
    f.add("t/1-d", "t", [r.grid([5])])
    f.add("t/transposed", "t", [xt])

    slices = [("dim2-step2", 2, 0, 4, 2), ("dim1-from1", 1, 1, None, 1), ("dim-1-negative-start", -1, -3, None, 2),
              ("dim0-end-clamped", 0, 1, 100, 1), ("dim2-empty", 2, 3, 1, 1),
              ("dim1-negative-end-step2", 1, None, -1, 2),
              ("dim2-start-clamped", 2, -100, 2, 1), ("dim2-step3", 2, None, None, 3), ("dim0-all", 0, None, None, 1)]
    for name, dim, start, end, step in slices:
        f.add(f"slice/{name}", "slice", [x], {"dim": dim, "start": start, "end": end, "step": step})
    f.add("slice/transposed-input", "slice", [xt], {"dim": 0, "start": 1, "end": None, "step": 2})

    for name, dim, start, length in [("dim1", 1, 1, 2), ("dim2-negative-start", 2, -3, 2), ("zero-length", 0, 0, 0),
                                     ("whole", 1, 0, 3)]:
        f.add(f"narrow/{name}", "narrow", [x], {"dim": dim, "start": start, "length": length})

    for name, dim, index in [("dim1", 1, 2), ("dim0-negative", 0, -1), ("dim2", 2, 0), ("dim-1", -1, 3)]:
        f.add(f"select/{name}", "select", [x], {"dim": dim, "index": index})
    f.add("select/1-d-to-0-dim", "select", [r.grid([5])], {"dim": 0, "index": 2})
    f.add("select/transposed", "select", [xt], {"dim": 1, "index": 1})

    col = r.grid([3, 1])
    f.add("expand/3x1-to-3x4", "expand", [col], {"size": [3, 4]}, method=True)
    f.add("expand/3x1-to-2x3x4", "expand", [col], {"size": [2, 3, 4]}, method=True)
    f.add("expand/1x3-minus-one", "expand", [r.grid([1, 3])], {"size": [4, -1]}, method=True)
    f.add("expand/noop", "expand", [col], {"size": [-1, -1]}, method=True)
    f.add("expand/0-dim", "expand", [T(1.25)], {"size": [2, 3]}, method=True)
    f.add("expand/int32-leading", "expand", [r.any([2, 1], "int32")], {"size": [3, 2, 5]}, method=True)
    f.add("expand/bool", "expand", [r.bools([1, 4])], {"size": [3, 4]}, method=True)

    y = r.grid([1, 3, 1, 2])
    f.add("squeeze/all", "squeeze", [y])
    for name, dim in [("dim0", 0), ("dim2", 2), ("dim-2", -2), ("non-unit-dim-is-noop", 1),
                      ("dims-0-2", [0, 2])]:
        f.add(f"squeeze/{name}", "squeeze", [y], {"dim": dim})
    f.add("squeeze/all-to-0-dim", "squeeze", [r.grid([1, 1])])

    z = r.grid([2, 3])
    for name, dim in [("dim0", 0), ("dim1", 1), ("dim2", 2), ("dim-1", -1), ("dim-3", -3)]:
        f.add(f"unsqueeze/{name}", "unsqueeze", [z], {"dim": dim})
    f.add("unsqueeze/0-dim", "unsqueeze", [T(2.0)], {"dim": 0})
    f.add("unsqueeze/transposed", "unsqueeze", [xt], {"dim": 1})

    f.add("flatten/default", "flatten", [x])
    for name, kwargs in [("start1", {"start_dim": 1}), ("0-1", {"start_dim": 0, "end_dim": 1}),
                         ("start-2", {"start_dim": -2}), ("same-dim", {"start_dim": 1, "end_dim": 1})]:
        f.add(f"flatten/{name}", "flatten", [x], kwargs)
    f.add("flatten/0-dim", "flatten", [T(2.0)])
    f.add("flatten/1-d", "flatten", [r.grid([4])])
    f.add("flatten/transposed-copies", "flatten", [xt])

    f.add("contiguous/transposed", "contiguous", [xt], method=True)
    f.add("contiguous/permuted-3-d", "contiguous", [xp], method=True)
    f.add("contiguous/already-contiguous", "contiguous", [z], method=True)
    f.add("contiguous/int32-transposed", "contiguous", [r.any([3, 4], "int32").t()], method=True)

    a = r.grid([12])
    f.add("as_strided/sliding-windows", "as_strided", [a], {"size": [4, 3], "stride": [1, 1]})
    f.add("as_strided/transposed", "as_strided", [a], {"size": [4, 3], "stride": [1, 4]})
    f.add("as_strided/offset-and-steps", "as_strided", [a], {"size": [2, 2], "stride": [4, 2], "storage_offset": 3})
    f.add("as_strided/stride-0-repeats", "as_strided", [a], {"size": [3, 2], "stride": [0, 1], "storage_offset": 10})
    f.add("as_strided/0-dim", "as_strided", [a], {"size": [], "stride": [], "storage_offset": 11})
    f.add("as_strided/empty-past-storage", "as_strided", [a], {"size": [0, 3], "stride": [100, 1], "storage_offset": 13})
    f.add("as_strided/keeps-view-offset", "as_strided", [a[2:]], {"size": [2, 3], "stride": [3, 1]})
    f.add("as_strided/int64", "as_strided", [r.ints([6], "int64")], {"size": [2, 2], "stride": [2, 1], "storage_offset": 1})

    # Views of views with an offset and gaps (`gappy`): the views compose their strides.
    g = gappy(lambda shape: r.grid(shape), [3, 4])  # strides [18, 2], offset 10
    f.add("transpose/gappy", "transpose", [g], {"dim0": 0, "dim1": 1})
    f.add("slice/gappy-step-2", "slice", [g], {"dim": 1, "start": 1, "end": None, "step": 2})
    f.add("select/gappy", "select", [g], {"dim": 1, "index": 2})
    f.add("unsqueeze/gappy", "unsqueeze", [g], {"dim": 1})
    f.add("expand/gappy", "expand", [g[:, :1]], {"size": [3, 5]}, method=True)
    f.add("reshape/gappy-copies", "reshape", [g], {"shape": [2, 6]})
    f.add("reshape/gappy-split-dim-is-view", "reshape", [g], {"shape": [3, 2, 2]})
    f.add("flatten/gappy-copies", "flatten", [g])
    f.add("contiguous/gappy", "contiguous", [g], method=True)
    f.add("contiguous/gappy-bool", "contiguous", [gappy(r.bools, [2, 3])], method=True)
    f.add("contiguous/gappy-float16", "contiguous", [gappy(lambda shape: r.grid(shape, "float16"), [2, 3])], method=True)


# --- unary ------------------------------------------------------------------------------------

FLOAT_UNARY = [
    # (name, op, kwargs, tolerance class, random-input range)
    ("exp", "exp", {}, "transcendental", (-4.0, 4.0)),
    ("log", "log", {}, "transcendental", (0.0625, 8.0)),
    ("sqrt", "sqrt", {}, "transcendental", (0.0, 8.0)),
    ("rsqrt", "rsqrt", {}, "transcendental", (0.0625, 8.0)),
    ("reciprocal", "reciprocal", {}, "rounded", (0.0625, 8.0)),
    ("sin", "sin", {}, "transcendental", (-4.0, 4.0)),
    ("cos", "cos", {}, "transcendental", (-4.0, 4.0)),
    ("tanh", "tanh", {}, "transcendental", (-4.0, 4.0)),
    ("sigmoid", "sigmoid", {}, "transcendental", (-8.0, 8.0)),
    ("relu", "relu", {}, None, (-4.0, 4.0)),
    ("gelu", "nn.functional.gelu", {"approximate": "none"}, "transcendental", (-4.0, 4.0)),
    ("erf", "erf", {}, "transcendental", (-3.0, 3.0)),
    ("floor", "floor", {}, None, (-4.0, 4.0)),
    ("ceil", "ceil", {}, None, (-4.0, 4.0)),
    ("round", "round", {}, None, (-4.0, 4.0)),
    ("abs", "abs", {}, None, (-4.0, 4.0)),
    ("neg", "neg", {}, None, (-4.0, 4.0)),
    ("sign", "sign", {}, None, (-4.0, 4.0)),
    ("square", "square", {}, "rounded", (-4.0, 4.0)),
]


def unary(f):
    r = f.rand
    for name, op, kwargs, tol, (low, high) in FLOAT_UNARY:
        for d in FLOATS:
            f.add(f"{name}/{d}/random", op, [r.uniform([3, 4], d, low, high)], kwargs, tol)
            special = GELU_SPECIAL if name == "gelu" else SPECIAL
            f.add(f"{name}/{d}/special", op, [T(special, d)], kwargs, tol)
    halves = [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, -4.5, 0.49999997]
    for d in ["float32", "float64", "float16", "bfloat16"]:
        f.add(f"round/{d}/halves-to-even", "round", [T(halves, d)])

    for op in ["abs", "neg", "sign", "square", "relu"]:
        f.add(f"{op}/int32", op, [r.ints([3, 4], "int32", -50, 50)])
        f.add(f"{op}/int64", op, [r.ints([2, 5], "int64", -1000, 1000)])
        f.add(f"{op}/uint8", op, [T([0, 1, 2, 15, 16, 100, 127, 128, 200, 255], "uint8")])
    for op in ["floor", "ceil", "round"]:
        f.add(f"{op}/int32-identity", op, [r.ints([6], "int32")])
    f.add("sign/bool", "sign", [T([True, False, True], "bool")])
    f.add("square/bool-gives-int64", "square", [T([True, False, True], "bool")])

    logical = {d: [0, 1, 2, 0, 7] for d in INTS}
    for d in FLOATS:
        f.add(f"logical_not/{d}", "logical_not", [T([0.0, -0.0, 1.5, NAN, INF, -2.0], d)])
    for d in INTS:
        f.add(f"logical_not/{d}", "logical_not", [T(logical[d], d)])
    f.add("logical_not/bool", "logical_not", [T([True, False], "bool")])

    x = r.uniform([3, 4])
    f.add("clamp/float32/min", "clamp", [x], {"min": S(-1.0)})
    f.add("clamp/float32/max", "clamp", [x], {"max": S(1.0)})
    f.add("clamp/float32/both", "clamp", [x], {"min": S(-1.0), "max": S(1.5)})
    f.add("clamp/float32/min-above-max-gives-max", "clamp", [x], {"min": S(2.0), "max": S(1.0)})
    f.add("clamp/float32/special", "clamp", [T(SPECIAL)], {"min": S(-1.0), "max": S(1.0)})
    f.add("clamp/float32/int-bounds", "clamp", [x], {"min": S(-1), "max": S(1)})
    f.add("clamp/float64/both", "clamp", [r.uniform([6], "float64")], {"min": S(-0.5), "max": S(0.5)})
    f.add("clamp/float16/both", "clamp", [r.uniform([6], "float16")], {"min": S(-0.1), "max": S(0.1)})
    f.add("clamp/bfloat16/min-rounds-bound", "clamp", [r.uniform([6], "bfloat16", -1.0, 1.0)], {"min": S(0.1)})
    f.add("clamp/int32/both", "clamp", [r.ints([3, 4], "int32")], {"min": S(-3), "max": S(3)})
    f.add("clamp/int64/max", "clamp", [r.ints([6], "int64")], {"max": S(0)})
    f.add("clamp/uint8/both", "clamp", [T([0, 5, 10, 200, 255], "uint8")], {"min": S(5), "max": S(100)})
    f.add("clamp/int32/float-min-promotes", "clamp", [r.ints([6], "int32")], {"min": S(1.5)})
    f.add("clamp/float32/tensor-bounds-broadcast", "clamp", [x],
          {"min": r.uniform([4], low=-2.0, high=0.0), "max": r.uniform([3, 1], low=0.0, high=2.0)})

    base = r.uniform([3, 4])
    for name, e in [("2", 2), ("3", 3), ("0.5", 0.5), ("-1", -1), ("-0.5", -0.5), ("0", 0),
                    ("2.5", 2.5), ("-2", -2), ("1", 1)]:
        f.add(f"pow/float32/exponent-{name}", "pow", [base], {"exponent": S(e)}, "transcendental")
        f.add(f"pow/float32/special-exponent-{name}", "pow", [T(SPECIAL)], {"exponent": S(e)}, "transcendental")
    f.add("pow/float64/exponent-3", "pow", [r.uniform([6], "float64")], {"exponent": S(3)}, "transcendental")
    f.add("pow/float16/exponent-2", "pow", [r.uniform([6], "float16")], {"exponent": S(2)}, "transcendental")
    f.add("pow/bfloat16/exponent-0.5", "pow", [r.uniform([6], "bfloat16", 0.0, 4.0)], {"exponent": S(0.5)},
          "transcendental")
    f.add("pow/int32/exponent-2", "pow", [r.ints([6], "int32")], {"exponent": S(2)})
    f.add("pow/int32/exponent-3", "pow", [r.ints([6], "int32")], {"exponent": S(3)})
    f.add("pow/int64/exponent-0", "pow", [r.ints([6], "int64")], {"exponent": S(0)})
    f.add("pow/uint8/exponent-2-wraps", "pow", [T([3, 15, 16, 17, 255], "uint8")], {"exponent": S(2)})
    f.add("pow/int32/float-exponent-promotes", "pow", [r.ints([6], "int32", 0, 9)], {"exponent": S(0.5)},
          "transcendental")
    f.add("pow/int32/integral-float-exponent-promotes", "pow", [r.ints([6], "int32")], {"exponent": S(2.0)},
          "transcendental")
    f.add("pow/bool/exponent-2", "pow", [T([True, False], "bool")], {"exponent": S(2)})

    promoted = ["exp", "log", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "erf", "reciprocal"]
    for op in promoted:
        tol = "rounded" if op == "reciprocal" else "transcendental"
        f.add(f"{op}/int32-gives-float32", op, [T([-3, -1, 0, 1, 2, 7], "int32")], {}, tol)
        f.add(f"{op}/int64-gives-float32", op, [T([-2, 0, 3, 9], "int64")], {}, tol)
        f.add(f"{op}/uint8-gives-float32", op, [T([0, 1, 4, 255], "uint8")], {}, tol)
        f.add(f"{op}/bool-gives-float32", op, [T([True, False], "bool")], {}, tol)

    # Strided inputs: a transposed matrix and a permuted 3-d tensor, read in logical order.
    for name, op, kwargs, tol, (low, high) in FLOAT_UNARY:
        f.add(f"{name}/float32/transposed-input", op, [r.uniform([4, 3], "float32", low, high).t()], kwargs, tol)
        f.add(f"{name}/float64/permuted-input", op, [r.uniform([2, 3, 4], "float64", low, high).permute(2, 0, 1)],
              kwargs, tol)
    for op in ["abs", "neg", "relu", "logical_not"]:
        f.add(f"{op}/int32/transposed-input", op, [r.ints([4, 3], "int32").t()])
    f.add("exp/int64/transposed-gives-float32", "exp", [r.ints([3, 2], "int64", -3, 3).t()], {}, "transcendental")
    f.add("clamp/float16/transposed-input", "clamp", [r.uniform([4, 3], "float16").t()], {"min": S(-1.0), "max": S(1.0)})
    f.add("pow/bfloat16/transposed-input", "pow", [r.uniform([4, 3], "bfloat16", 0.25, 4.0).t()], {"exponent": S(2)},
          "transcendental")
    for name, op, kwargs, tol, (low, high) in FLOAT_UNARY:
        f.add(f"{name}/float32/gappy-input", op, [gappy(lambda shape: r.uniform(shape, "float32", low, high), [3, 4])],
              kwargs, tol)
    for d in ["float16", "bfloat16", "int64", "uint8"]:
        f.add(f"abs/{d}/gappy-input", "abs", [gappy(lambda shape: r.any(shape, d), [2, 3])])
    f.add("logical_not/bool/gappy-input", "logical_not", [gappy(r.bools, [2, 3])])
    f.add("clamp/float64/gappy-input", "clamp", [gappy(lambda shape: r.uniform(shape, "float64"), [3, 2])],
          {"min": S(-1.0), "max": S(1.0)})


# --- binary -----------------------------------------------------------------------------------

# Element pairs with special values: nan, infinities, signed zeros, zero divisors.
SPECIAL_A = [NAN, 1.0, INF, INF, -INF, -0.0, 0.0, 1.0, -1.0, 0.0, 5.0, -5.0, -0.0, 2.0, 1.0, -1.0]
SPECIAL_B = [1.0, NAN, INF, -INF, 2.0, 0.0, 0.0, 0.0, 0.0, -0.0, -3.0, 3.0, 2.0, -0.0, INF, INF]

ARITH = [("add", "rounded"), ("sub", "rounded"), ("mul", "rounded"), ("div", "rounded"),
         ("remainder", "rounded"), ("pow", "transcendental"), ("maximum", None), ("minimum", None)]
COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"]
LOGICAL = ["logical_and", "logical_or", "logical_xor"]


def binary(f):
    r = f.rand
    for op, tol in ARITH:
        for d in FLOATS:
            if op == "pow":
                a, b = r.uniform([2, 3], d, 0.25, 4.0), r.uniform([3], d, -3.0, 3.0)
            elif op in ("div", "remainder"):
                a, b = r.grid([2, 3], d), r.grid([3], d, 0.25, 4.0) * T([1.0, -1.0, 1.0], d)
            else:
                a, b = r.uniform([2, 3], d), r.uniform([3], d)
            f.add(f"{op}/{d}/broadcast", op, [a, b], {}, tol)
        low = 0.25 if op == "pow" else -4.0
        f.add(f"{op}/float32/outer", op, [r.uniform([3, 1], low=low), r.grid([1, 4], low=0.25)], {}, tol)
        f.add(f"{op}/float32/3-d", op, [r.uniform([2, 1, 4], low=low), r.grid([3, 1], low=0.25)], {}, tol)
        f.add(f"{op}/float32/0-dim-and-2-d", op, [r.grid([], low=0.25), r.grid([2, 3], low=0.25)], {}, tol)
        f.add(f"{op}/float32/special", op, [T(SPECIAL_A), T(SPECIAL_B)], {}, tol)
        f.add(f"{op}/float16/special", op, [T(SPECIAL_A, "float16"), T(SPECIAL_B, "float16")], {}, tol)
        if op in ("div", "remainder"):
            ints = lambda shape, d: r.nonzero_ints(shape, d)  # noqa: E731
        elif op == "pow":
            ints = lambda shape, d: r.ints(shape, d, 0, 4)  # noqa: E731
        else:
            ints = lambda shape, d: r.ints(shape, d)  # noqa: E731
        base = r.ints([2, 3], "int32", -5, 5) if op == "pow" else r.ints([2, 3], "int32")
        int_tol = "rounded" if op == "div" else None
        f.add(f"{op}/int32/broadcast", op, [base, ints([3], "int32")], {}, int_tol)
        f.add(f"{op}/int64", op, [r.ints([5], "int64", -5, 5), ints([5], "int64")], {}, int_tol)
        if op in ("div", "remainder", "pow"):
            f.add(f"{op}/uint8", op, [T([0, 7, 200, 255, 9], "uint8"), T([3, 2, 7, 16, 1], "uint8")], {}, int_tol)
        else:
            f.add(f"{op}/uint8", op, [T([0, 7, 200, 255, 1], "uint8"), T([3, 9, 100, 1, 1], "uint8")], {}, int_tol)
        f.add(f"{op}/float32+int32/broadcast", op,
              [r.uniform([2, 3], low=0.25 if op == "pow" else -4.0), ints([3], "int32")], {}, tol)
        f.add(f"{op}/int32+float64", op, [base[0], r.grid([3], "float64", 0.25, 4.0)], {}, tol)
        f.add(f"{op}/float16+float32", op, [r.grid([4], "float16", 0.25), r.grid([4], "float32", 0.25)], {}, tol)
        f.add(f"{op}/bfloat16+float16", op, [r.grid([4], "bfloat16", 0.25), r.grid([4], "float16", 0.25)], {}, tol)
        if op != "sub":  # subtraction with a bool tensor is an error (errors.json)
            f.add(f"{op}/bool+float32", op, [T([True, False, True, False]), r.grid([4], low=0.25)], {}, tol)
    for op in ["add", "mul", "maximum", "minimum"]:
        f.add(f"{op}/bool+bool", op, [T([True, True, False, False], "bool"), T([True, False, True, False], "bool")])

    f.add("div/int32/true-division-gives-float32", "div", [T([7, -7, 1, 0, 9], "int32"), T([2, 2, 3, 5, -4], "int32")],
          {}, "rounded")
    a_grid = r.grid([2, 4], low=-8.0, high=8.0)
    b_grid = T([2.0, -2.0, 0.75, -1.5])
    int_a, int_b = T([7, -7, 7, -7, 0, 1, -1, 9], "int32"), T([2, 2, -2, -2, 3, -3, 3, 4], "int32")
    for mode in ["trunc", "floor"]:
        f.add(f"div/float32/rounding-{mode}", "div", [a_grid, b_grid], {"rounding_mode": mode})
        f.add(f"div/float64/rounding-{mode}", "div", [a_grid.double(), b_grid.double()], {"rounding_mode": mode})
        f.add(f"div/float16/rounding-{mode}", "div", [a_grid.half(), b_grid.half()], {"rounding_mode": mode})
        f.add(f"div/int32/rounding-{mode}", "div", [int_a, int_b], {"rounding_mode": mode})
        f.add(f"div/int64/rounding-{mode}", "div", [int_a.long(), int_b.long()], {"rounding_mode": mode})
        f.add(f"div/uint8/rounding-{mode}", "div", [T([7, 200, 255], "uint8"), T([2, 3, 16], "uint8")],
              {"rounding_mode": mode})
        f.add(f"div/float32/special-rounding-{mode}", "div", [T(SPECIAL_A), T(SPECIAL_B)], {"rounding_mode": mode})
        f.add(f"div/int32+float32/rounding-{mode}", "div", [int_a, T([2.0, 2.0, -2.0, -2.0, 3.0, -3.0, 0.5, 4.0])],
              {"rounding_mode": mode})

    f.add("remainder/float32/signs-follow-divisor", "remainder",
          [T([-3.0, 3.0, -3.0, 3.0, -0.0, 0.0, 5.5, -5.5]), T([2.0, -2.0, -2.0, 2.0, 2.0, -2.0, 2.0, 2.0])],
          {}, "rounded")
    f.add("remainder/int32/signs-follow-divisor", "remainder",
          [T([-3, 3, -3, 3, 0, 7, -7, 6], "int32"), T([2, -2, -2, 2, -5, 7, 4, -4], "int32")])
    f.add("remainder/float32-tensor-by-int-scalar", "remainder", [a_grid, S(3)], {}, "rounded")
    f.add("remainder/int64-tensor-by-int-scalar", "remainder", [T([5, -5, 0, 7], "int64"), S(3)])
    f.add("remainder/int-scalar-by-int64-tensor", "remainder", [S(5), T([3, -3, 2, -2], "int64")])

    f.add("pow/int32/negative-exponent-tensor", "pow",
          [T([2, 1, -1, 0, -2, 3], "int32"), T([-1, -1, -1, 2, -2, 0], "int32")])
    f.add("pow/int-scalar-base-float32", "pow", [S(2), r.uniform([5], low=-3.0, high=3.0)], {}, "transcendental")
    f.add("pow/float-scalar-base-float32", "pow", [S(0.5), r.uniform([5], low=-3.0, high=3.0)], {}, "transcendental")
    f.add("pow/int-scalar-base-int64", "pow", [S(3), T([0, 1, 2, 5], "int64")])
    f.add("pow/float32/negative-base-fractional-exponent", "pow",
          [T([-8.0, -2.0, -1.0, -1.0, -0.0, 0.0]), T([1 / 3, 2.0, 0.5, INF, -1.0, -1.0])], {}, "transcendental")

    for op in COMPARISONS:
        a = r.grid([3, 4], low=-2.0, high=2.0, step=0.5)
        f.add(f"{op}/float32/broadcast-with-ties", op, [a, r.grid([4], low=-2.0, high=2.0, step=0.5)])
        f.add(f"{op}/float64", op, [r.grid([6], "float64", -2.0, 2.0, 1.0), r.grid([6], "float64", -2.0, 2.0, 1.0)])
        f.add(f"{op}/float16", op, [r.grid([6], "float16", -2.0, 2.0, 1.0), r.grid([6], "float16", -2.0, 2.0, 1.0)])
        f.add(f"{op}/bfloat16", op, [r.grid([6], "bfloat16", -2.0, 2.0, 1.0), r.grid([6], "bfloat16", -2.0, 2.0, 1.0)])
        f.add(f"{op}/int32/broadcast", op, [r.ints([3, 1], "int32", -3, 3), r.ints([1, 4], "int32", -3, 3)])
        f.add(f"{op}/int64", op, [r.ints([6], "int64", -3, 3), r.ints([6], "int64", -3, 3)])
        f.add(f"{op}/uint8", op, [T([0, 1, 200, 255, 7], "uint8"), T([1, 1, 100, 0, 8], "uint8")])
        f.add(f"{op}/bool", op, [T([True, True, False, False], "bool"), T([True, False, True, False], "bool")])
        f.add(f"{op}/float32/special", op, [T(SPECIAL_A), T(SPECIAL_B)])
        f.add(f"{op}/float32+int64", op, [r.grid([6], step=0.5), r.ints([6], "int64", -4, 4)])
        f.add(f"{op}/float32-scalar", op, [r.grid([6], step=0.5), S(0.5)])

    for op in LOGICAL:
        f.add(f"{op}/bool/broadcast", op, [r.bools([3, 1]), r.bools([1, 4])])
        f.add(f"{op}/float32/nan-is-true", op, [T([NAN, -0.0, 0.0, 1.0, INF, 0.0]), T([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])])
        f.add(f"{op}/int32", op, [T([0, 1, -2, 0], "int32"), T([0, 0, 3, 5], "int32")])
        f.add(f"{op}/uint8+float16", op, [T([0, 1, 255, 0], "uint8"), T([0.0, 0.5, 0.0, -1.0], "float16")])
        f.add(f"{op}/bool+int64", op, [T([True, False, True, False], "bool"), T([0, 0, 7, 7], "int64")])

    ai, bi = r.ints([2, 3], "int32"), r.ints([3], "int32")
    af, bf = r.uniform([2, 3]), r.uniform([3])
    f.add("add/int32/alpha-2", "add", [ai, bi], {"alpha": S(2)})
    f.add("add/float32/alpha-0.5", "add", [af, bf], {"alpha": S(0.5)}, "rounded")
    f.add("add/float32/int-alpha", "add", [af, bf], {"alpha": S(-2)}, "rounded")
    f.add("add/float16/alpha", "add", [af.half(), bf.half()], {"alpha": S(3)}, "rounded")
    f.add("sub/int64/alpha-3", "sub", [ai.long(), bi.long()], {"alpha": S(3)})
    f.add("sub/float64/alpha-0.25", "sub", [af.double(), bf.double()], {"alpha": S(0.25)}, "rounded")
    f.add("add/float32+int32/alpha", "add", [af, bi], {"alpha": S(2)}, "rounded")

    for op in LOGICAL:
        for d in ["float64", "float16", "bfloat16"]:
            f.add(f"{op}/{d}/nan-is-true", op, [T([NAN, -0.0, 0.0, 1.0, INF, 0.0], d), T([1.0, 1.0, 1.0, 0.0, 0.0, -0.0], d)])
        f.add(f"{op}/int64+uint8", op, [T([0, 1, -2, 0], "int64"), T([0, 0, 3, 255], "uint8")])

    # Strided inputs: transposed and permuted operands, alone and broadcast against each other.
    for op, tol in ARITH:
        low = 0.25 if op in ("pow", "div", "remainder") else -4.0
        t = r.uniform([4, 3], low=low).t()
        f.add(f"{op}/float32/transposed-lhs", op, [t, r.uniform([3, 4], low=low)], {}, tol)
        f.add(f"{op}/float32/transposed-both", op, [t, r.uniform([4, 3], low=low).t()], {}, tol)
        f.add(f"{op}/float32/transposed-broadcast", op, [r.uniform([4, 1], low=low).t(), r.uniform([4, 3], low=low).t()],
              {}, tol)
        f.add(f"{op}/float64/permuted-3-d", op, [r.uniform([2, 3, 4], "float64", low).permute(1, 2, 0),
                                                 r.uniform([4, 1], "float64", low)], {}, tol)
    for op in ["add", "mul", "maximum"]:
        f.add(f"{op}/int32/transposed-lhs", op, [r.ints([4, 3], "int32").t(), r.ints([3, 4], "int32")])
        f.add(f"{op}/float16/transposed-both", op, [r.grid([4, 3], "float16").t(), r.grid([4, 3], "float16").t()],
              {}, "rounded")
    for op in ["lt", "eq"]:
        f.add(f"{op}/float32/transposed-lhs", op, [r.grid([4, 3], step=0.5).t(), r.grid([3, 4], step=0.5)])
    f.add("logical_and/bool/transposed-lhs", "logical_and", [r.bools([4, 3]).t(), r.bools([3, 4])])
    for op, tol in ARITH:
        low = 0.25 if op in ("pow", "div", "remainder") else -4.0
        u = lambda shape: r.uniform(shape, low=low)  # noqa: E731
        f.add(f"{op}/float32/gappy-both", op, [gappy(u, [3, 4]), gappy(u, [3, 4])], {}, tol)
        f.add(f"{op}/float32/gappy-broadcast", op, [gappy(u, [3, 1]), gappy(u, [4]).t()], {}, tol)
    f.add("add/int64/gappy-and-contiguous", "add", [gappy(lambda shape: r.ints(shape, "int64"), [2, 3]), r.ints([2, 3], "int64")])
    f.add("mul/bfloat16/gappy-both", "mul", [gappy(lambda shape: r.grid(shape, "bfloat16"), [2, 3]),
                                             gappy(lambda shape: r.grid(shape, "bfloat16"), [2, 3])], {}, "rounded")
    f.add("add/uint8/gappy-wraps", "add", [gappy(lambda shape: r.ints(shape, "uint8", 200, 255), [2, 3]), S(100)])
    f.add("eq/float32/gappy-both", "eq", [gappy(lambda shape: r.grid(shape, step=1.0), [3, 4]),
                                          gappy(lambda shape: r.grid(shape, step=1.0), [3, 4])])
    f.add("logical_or/bool/gappy-both", "logical_or", [gappy(r.bools, [3, 2]), gappy(r.bools, [3, 2])])


# --- promotion --------------------------------------------------------------------------------

PROMOTION_VALUES = {
    "float32": [0.5, 1.0, 2.25, 3.0], "float64": [1.5, 0.0, 2.0, 3.5],
    "float16": [0.25, 1.0, 2.5, 3.0], "bfloat16": [0.5, 1.5, 2.0, 3.0],
    "int32": [1, 0, 2, 3], "int64": [3, 1, 0, 2], "uint8": [2, 1, 3, 0],
    "bool": [True, False, True, False],
}


def promotion(f):
    r = f.rand
    value = lambda d: T(PROMOTION_VALUES[d], d)  # noqa: E731
    for a in ALL:
        for b in ALL:
            f.add(f"add/{a}+{b}", "add", [value(a), value(b)], {}, "rounded")

    scalars = [("int", S(2)), ("negative-int", S(-1)), ("float", S(2.5)), ("bool", S(True))]
    for d in ALL:
        for name, scalar in scalars:
            f.add(f"add/{d}+{name}-scalar", "add", [value(d), scalar], {}, "rounded")
        f.add(f"mul/{d}+float-scalar", "mul", [value(d), S(0.5)], {}, "rounded")
        f.add(f"div/{d}+int-scalar", "div", [value(d), S(2)], {}, "rounded")
        if d != "bool":  # subtraction with a bool tensor is an error (errors.json)
            f.add(f"sub/{d}+int-scalar", "sub", [value(d), S(1)], {}, "rounded")
        f.add(f"lt/{d}+float-scalar", "lt", [value(d), S(1.5)])
        f.add(f"eq/{d}+int-scalar", "eq", [value(d), S(1)])
    overflow = [
        ("add/int32+int-scalar-beyond-int32-wraps", [value("int32"), S(2**31)]),
        ("add/int32+int-scalar-beyond-uint32-wraps", [value("int32"), S(2**40 + 1)]),
        ("add/uint8+int-scalar-256-wraps", [value("uint8"), S(256)]),
        ("add/float16+large-float-scalar-overflows", [value("float16"), S(1e5)]),
        ("add/bfloat16+large-float-scalar-rounds", [value("bfloat16"), S(1e5)]),
        ("add/float16+tiny-float-scalar-lost", [value("float16"), S(1e-4)]),
        ("add/int64+large-int-scalar", [value("int64"), S(2**62)]),
        ("gt/uint8+negative-int-scalar-wraps", [value("uint8"), S(-1)]),
        ("eq/uint8+int-scalar-257-wraps", [value("uint8"), S(257)]),
        ("eq/int32+int-scalar-beyond-int32-wraps", [value("int32"), S(2**32 + 1)]),
        ("eq/float32+float-scalar-compares-in-float32", [T([0.1, 0.2]), S(0.1)]),
        ("eq/float16+float-scalar-compares-in-float16", [T([0.1, 0.2], "float16"), S(0.1)]),
    ]
    for name, inputs in overflow:
        f.add(name, name.split("/")[0], inputs, {}, "rounded")

    zero_dim = [
        ("int32", "float64"), ("int32", "float32"), ("int64", "float16"), ("uint8", "int64"),
        ("int32", "int64"), ("uint8", "bool"), ("bool", "int32"), ("bool", "float64"),
        ("float32", "float64"), ("float16", "float64"), ("bfloat16", "float32"), ("float16", "bfloat16"),
        ("bool", "uint8"), ("int64", "bfloat16"), ("uint8", "int32"), ("float64", "float16"),
    ]
    for dims_dtype, zero_dtype in zero_dim:
        zero = T(PROMOTION_VALUES[zero_dtype][2], zero_dtype)
        f.add(f"add/{dims_dtype}[4]+{zero_dtype}[]", "add", [value(dims_dtype), zero], {}, "rounded")
        f.add(f"add/{zero_dtype}[]+{dims_dtype}[4]", "add", [zero, value(dims_dtype)], {}, "rounded")
    for dims_dtype, one_dtype in [("int32", "float64"), ("float32", "float64"), ("uint8", "int64"),
                                  ("float16", "float32")]:
        one = T([PROMOTION_VALUES[one_dtype][2]], one_dtype)
        f.add(f"add/{dims_dtype}[4]+{one_dtype}[1]-is-not-0-dim", "add", [value(dims_dtype), one], {}, "rounded")
    for a, b in [("int32", "float16"), ("float16", "bfloat16"), ("uint8", "int32"), ("bool", "float32"),
                 ("int64", "float64")]:
        f.add(f"add/{a}[]+{b}[]", "add", [T(PROMOTION_VALUES[a][2], a), T(PROMOTION_VALUES[b][2], b)], {}, "rounded")
    for d, scalar in [("int32", S(2.5)), ("float16", S(2.5)), ("uint8", S(-1)), ("bool", S(2)), ("int64", S(True))]:
        f.add(f"add/{d}[]+{kind_of(scalar.value)}-scalar", "add", [T(PROMOTION_VALUES[d][2], d), scalar], {}, "rounded")
    f.add("mul/int32[2x2]+float64[]", "mul", [r.ints([2, 2], "int32"), T(0.5, "float64")], {}, "rounded")
    f.add("where/float16[]+int32[]-scalars", "where",
          [T([True, False]), T(1.5, "float16"), T(3, "int32")])

    mixed = [
        ("eq/int32+float32/compares-in-float32", "eq", [T([16777217, 3], "int32"), T([16777216.0, 3.0])]),
        ("eq/int64+float64/compares-in-float64", "eq",
         [T([2**53 + 1, 7], "int64"), T([float(2**53), 7.0], "float64")]),
        ("lt/uint8+int32", "lt", [T([200, 0, 5], "uint8"), T([-56, 0, 6], "int32")]),
        ("eq/float16+float32", "eq", [T([0.1, 0.5], "float16"), T([0.1, 0.5])]),
        ("eq/bfloat16+float16", "eq", [T([0.1, 0.5, 1.0], "bfloat16"), T([0.1, 0.5, 1.0], "float16")]),
        ("eq/bool+float32", "eq", [T([True, False, True], "bool"), T([1.0, 0.0, 2.0])]),
        ("gt/bool+int32", "gt", [T([True, False, True], "bool"), T([0, -1, 1], "int32")]),
        ("le/int32+float64[]", "le", [T([1, 2, 3], "int32"), T(2.5, "float64")]),
        ("ge/uint8[]+int64", "ge", [T(200, "uint8"), T([-1, 200, 300], "int64")]),
        ("ne/bfloat16+int64", "ne", [T([257.0, 256.0], "bfloat16"), T([257, 256], "int64")]),
    ]
    for name, op, inputs in mixed:
        f.add(name, op, inputs)


# --- reductions -------------------------------------------------------------------------------

def reductions(f):
    r = f.rand
    x = r.uniform([2, 3, 4])
    dim_variants = [("all", None), ("dim1", 1), ("dim-1", -1), ("dims-0-2", [0, 2]), ("dims--1-0", [-1, 0])]
    float_ops = [("sum", "sum", {}, "accumulate"), ("mean", "mean", {}, "accumulate"),
                 ("prod", "prod", {}, "accumulate"), ("amax", "amax", {}, None), ("amin", "amin", {}, None),
                 ("var", "var", {}, "accumulate"), ("var-correction0", "var", {"correction": 0}, "accumulate"),
                 ("std", "std", {}, "accumulate"), ("std-correction0", "std", {"correction": 0}, "accumulate"),
                 ("norm", "linalg.vector_norm", {}, "accumulate")]
    for name, op, extra, tol in float_ops:
        for dim_name, dim in dim_variants:
            if op == "prod" and (dim is None or isinstance(dim, list)):
                continue  # torch.prod takes one int dim
            for keepdim in [False, True]:
                kwargs = dict(extra)
                if dim is not None:
                    kwargs["dim"] = dim
                if keepdim:
                    kwargs["keepdim"] = True
                    if dim is None and op in ("sum", "mean"):
                        kwargs["dim"] = None  # their keepdim overloads need a dim argument
                f.add(f"{name}/float32/{dim_name}{'/keepdim' if keepdim else ''}", op, [x], kwargs, tol)
        f.add(f"{name}/float64/dim1", op, [x.double()], {**extra, "dim": 1}, tol)
        if op == "prod":
            f.add(f"{name}/float32/all-elements", op, [r.uniform([2, 3], low=0.5, high=2.0)], {}, tol)
    f.add("prod/float32/dim0/keepdim", "prod", [r.uniform([3, 4], low=-2.0, high=2.0)], {"dim": 0, "keepdim": True},
          "accumulate")
    for d in ["float16", "bfloat16"]:
        h = r.grid([3, 4], d, low=-2.0, high=2.0)
        for name, op, extra, tol in float_ops:
            f.add(f"{name}/{d}/dim1", op, [h], {**extra, "dim": 1}, tol)
        f.add(f"sum/{d}/all", "sum", [h], {}, "accumulate")
    f.add("norm/float32/ord1", "linalg.vector_norm", [x], {"ord": S(1), "dim": 1}, "accumulate")
    f.add("norm/float32/ord-inf", "linalg.vector_norm", [x], {"ord": S(INF), "dim": -1}, None)
    f.add("norm/float32/ord3-float", "linalg.vector_norm", [x], {"ord": S(3.0)}, "accumulate")

    g = r.grid([3, 5], low=-2.0, high=2.0, step=1.0)  # many ties
    for op in ["argmax", "argmin"]:
        f.add(f"{op}/float32/all", op, [x])
        f.add(f"{op}/float32/dim1", op, [x], {"dim": 1})
        f.add(f"{op}/float32/dim-1/keepdim", op, [x], {"dim": -1, "keepdim": True})
        f.add(f"{op}/float32/dim0", op, [x], {"dim": 0})
        f.add(f"{op}/float32/ties-first-index", op, [g], {"dim": 1})
        f.add(f"{op}/float32/ties-all", op, [g])
        f.add(f"{op}/float32/nan-wins", op, [T([[1.0, NAN, 3.0, NAN], [-INF, 2.0, INF, 0.0]])], {"dim": 1})
        f.add(f"{op}/int32/dim0", op, [r.ints([3, 4], "int32", -3, 3)], {"dim": 0})
        f.add(f"{op}/uint8/all", op, [T([3, 200, 7, 200], "uint8")])
        f.add(f"{op}/float64/dim1", op, [x.double()], {"dim": 1})
        f.add(f"{op}/float16/dim1", op, [g.half()], {"dim": 1})

    b = r.bools([2, 3, 4])
    for op in ["all", "any"]:
        f.add(f"{op}/bool/all", op, [b])
        f.add(f"{op}/bool/dim1", op, [b], {"dim": 1})
        f.add(f"{op}/bool/dim-1/keepdim", op, [b], {"dim": -1, "keepdim": True})
        f.add(f"{op}/bool/dims-0-2", op, [b], {"dim": [0, 2]})
        f.add(f"{op}/float32/dim1-nan-is-true", op, [T([[0.0, NAN, 1.0], [-0.0, 0.0, 0.0], [1.0, 2.0, INF]])],
              {"dim": 1})
        f.add(f"{op}/int32/dim0", op, [T([[0, 1, 2], [3, 0, -1]], "int32")], {"dim": 0})
        f.add(f"{op}/uint8-gives-uint8", op, [T([3, 0, 255], "uint8")])
        f.add(f"{op}/uint8-dim-gives-uint8", op, [T([[3, 0], [1, 2]], "uint8")], {"dim": 1})
        f.add(f"{op}/float16/all", op, [T([0.5, -0.0], "float16")])

    ints = r.ints([3, 4], "int32")
    f.add("sum/int32-gives-int64/all", "sum", [ints])
    f.add("sum/int32-gives-int64/dim1", "sum", [ints], {"dim": 1})
    f.add("sum/int32/dtype-int32", "sum", [ints], {"dim": 0, "dtype": "int32"})
    f.add("sum/int64/dims", "sum", [ints.long()], {"dim": [0, 1], "keepdim": True})
    f.add("sum/uint8-gives-int64", "sum", [T([200, 100, 255], "uint8")])
    f.add("sum/bool-gives-int64/all", "sum", [b])
    f.add("sum/bool-gives-int64/dim2", "sum", [b], {"dim": 2})
    f.add("sum/float32/dtype-float64", "sum", [x], {"dim": 1, "dtype": "float64"}, "accumulate")
    f.add("prod/int32-gives-int64", "prod", [T([[2, -3, 4], [1, 5, -1]], "int32")], {"dim": 1})
    f.add("prod/int32-gives-int64/all", "prod", [T([2, -3, 4, 7], "int32")])
    f.add("prod/uint8-gives-int64", "prod", [T([20, 30, 2], "uint8")])
    f.add("prod/bool-gives-int64", "prod", [T([True, True, False], "bool")])
    f.add("mean/float32/dtype-float64", "mean", [x], {"dim": 2, "dtype": "float64"}, "accumulate")
    for op in ["amax", "amin"]:
        f.add(f"{op}/int32/dim1", op, [ints], {"dim": 1})
        f.add(f"{op}/uint8/all", op, [T([3, 200, 7], "uint8")])
        f.add(f"{op}/bool/dim0", op, [T([[True, False], [False, False]], "bool")], {"dim": 0})
        f.add(f"{op}/int64/dims", op, [ints.long()], {"dim": [0, 1]})
        f.add(f"{op}/float32/nan-propagates", op, [T([[1.0, NAN, 3.0], [-INF, 2.0, INF]])], {"dim": 1})
        f.add(f"{op}/float32/nan-propagates-all", op, [T([1.0, NAN, 3.0])])

    empty = torch.zeros(0, 3)
    f.add("sum/empty/dim0", "sum", [empty], {"dim": 0})
    f.add("sum/empty/dim1", "sum", [empty], {"dim": 1})
    f.add("sum/empty/all", "sum", [empty])
    f.add("sum/empty-int32/dim0", "sum", [torch.zeros(0, 3, dtype=torch.int32)], {"dim": 0})
    f.add("prod/empty/dim0", "prod", [empty], {"dim": 0})
    f.add("mean/empty/dim0-is-nan", "mean", [empty], {"dim": 0})
    f.add("mean/empty/all-is-nan", "mean", [empty])
    f.add("amax/empty/over-nonempty-dim", "amax", [empty], {"dim": 1})
    f.add("all/empty", "all", [torch.zeros(0, dtype=torch.bool)])
    f.add("any/empty", "any", [torch.zeros(0, dtype=torch.bool)])
    f.add("norm/empty/dim0", "linalg.vector_norm", [empty], {"dim": 0})
    f.add("var/empty/dim0-is-nan", "var", [empty], {"dim": 0})
    f.add("var/single-element-is-nan", "var", [T([2.5])])
    f.add("std/single-element-is-nan", "std", [T([[2.5], [1.0]])], {"dim": 1})
    f.add("std/single-element-correction0", "std", [T([2.5])], {"correction": 0})

    special = T([[1.0, NAN, 2.0], [INF, -INF, 1.0], [INF, 1.0, 2.0]])
    for op in ["sum", "mean", "prod", "var", "std"]:
        f.add(f"{op}/float32/special-dim1", op, [special], {"dim": 1}, "accumulate")
    f.add("norm/float32/special-dim1", "linalg.vector_norm", [special], {"dim": 1}, "accumulate")

    for op in ["argmax", "argmin"]:
        f.add(f"{op}/bfloat16/dim1", op, [g.bfloat16()], {"dim": 1})
        f.add(f"{op}/int64/dim0", op, [r.ints([3, 4], "int64", -3, 3)], {"dim": 0})
        f.add(f"{op}/int64/all", op, [T([5, -2**40, 2**40, 7], "int64")])
        f.add(f"{op}/uint8/dim1", op, [T([[3, 200, 7], [255, 0, 255]], "uint8")], {"dim": 1})
    for op in ["all", "any"]:
        f.add(f"{op}/float64/dim1-nan-is-true", op, [T([[0.0, NAN, 1.0], [-0.0, 0.0, 0.0], [1.0, 2.0, INF]], "float64")],
              {"dim": 1})
        f.add(f"{op}/bfloat16/dim0", op, [T([[0.5, 0.0], [-0.0, 2.0]], "bfloat16")], {"dim": 0})
        f.add(f"{op}/int64/dim1", op, [T([[0, 2**40, 1], [3, -1, 7]], "int64")], {"dim": 1})
        f.add(f"{op}/int64/all", op, [T([2**40, 1, -3], "int64")])
    f.add("prod/int64/dim0", "prod", [T([[2, -3, 4], [2**20, 5, -1]], "int64")], {"dim": 0})
    f.add("prod/int64-wraps", "prod", [T([2**40, 2**30], "int64")])
    f.add("prod/float32/dtype-float64", "prod", [r.uniform([2, 3], low=0.5, high=2.0)], {"dim": 1, "dtype": "float64"},
          "accumulate")
    f.add("prod/int32/dtype-float32", "prod", [T([[2, -3, 4], [1, 5, -1]], "int32")], {"dim": 1, "dtype": "float32"})
    f.add("norm/float32/dtype-float64", "linalg.vector_norm", [x], {"dim": 1, "dtype": "float64"}, "accumulate")
    f.add("norm/float16/dtype-float32", "linalg.vector_norm", [T([300.0, 400.0, 1000.0], "float16")],
          {"dtype": "float32"}, "accumulate")
    f.add("var/float32/correction-0.5", "var", [x], {"dim": 1, "correction": S(0.5)}, "accumulate")
    f.add("std/float64/correction-2", "std", [x.double()], {"dim": 2, "correction": S(2)}, "accumulate")
    f.add("var/float32/unbiased-false", "var", [x], {"dim": 0, "unbiased": False}, "accumulate")
    f.add("std/float32/unbiased-true", "std", [x], {"dim": [0, 2], "unbiased": True, "keepdim": True}, "accumulate")

    # Strided inputs: reductions over dims of permuted and transposed tensors.
    p = r.uniform([2, 3, 4]).permute(2, 0, 1)  # [4, 2, 3], no dim contiguous but the middle
    for name, op, extra, tol in float_ops:
        if op != "prod":
            f.add(f"{name}/float32/permuted/dims-0-2", op, [p], {**extra, "dim": [0, 2]}, tol)
        f.add(f"{name}/float32/permuted/dim0", op, [p], {**extra, "dim": 0}, tol)
        f.add(f"{name}/float32/permuted/dim-1/keepdim", op, [p], {**extra, "dim": -1, "keepdim": True}, tol)
    f.add("sum/float32/permuted/all", "sum", [p], {}, "accumulate")
    f.add("sum/int32/transposed/dim1", "sum", [r.ints([4, 3], "int32").t()], {"dim": 1})
    f.add("sum/float16/transposed/dim0", "sum", [r.grid([4, 3], "float16").t()], {"dim": 0}, "accumulate")
    for op in ["argmax", "argmin"]:
        f.add(f"{op}/float32/permuted/dim0", op, [p], {"dim": 0})
        f.add(f"{op}/float32/permuted/all", op, [p])
    for op in ["all", "any"]:
        f.add(f"{op}/bool/permuted/dim1", op, [r.bools([2, 3, 4]).permute(1, 2, 0)], {"dim": 1})
    q = gappy(lambda shape: r.uniform(shape), [2, 3, 4])
    for name, op, extra, tol in float_ops:
        if op != "prod":
            f.add(f"{name}/float32/gappy/all", op, [q], dict(extra), tol)
        f.add(f"{name}/float32/gappy/dim1", op, [q], {**extra, "dim": 1}, tol)
        f.add(f"{name}/float32/gappy/dim-1", op, [q], {**extra, "dim": -1}, tol)
    for op in ["argmax", "argmin"]:
        f.add(f"{op}/float32/gappy/dim1", op, [q], {"dim": 1})
        f.add(f"{op}/float32/gappy/all", op, [q])
        f.add(f"{op}/int64/gappy/dim0", op, [gappy(lambda shape: r.ints(shape, "int64"), [3, 4])], {"dim": 0})
    for op in ["all", "any"]:
        f.add(f"{op}/bool/gappy/dim1", op, [gappy(r.bools, [3, 4])], {"dim": 1})
        f.add(f"{op}/bool/gappy/all", op, [gappy(r.bools, [2, 2])])
    f.add("sum/int32/gappy/dim0", "sum", [gappy(lambda shape: r.ints(shape, "int32"), [3, 4])], {"dim": 0})
    f.add("sum/float16/gappy/dim1", "sum", [gappy(lambda shape: r.grid(shape, "float16"), [3, 4])], {"dim": 1},
          "accumulate")
    f.add("amax/uint8/gappy/all", "amax", [gappy(lambda shape: r.ints(shape, "uint8", 0, 20), [3, 3])])


# --- matmul -----------------------------------------------------------------------------------

def matmul(f):
    r = f.rand
    for d in ["float32", "float64"]:
        u = lambda shape: r.uniform(shape, d, -2.0, 2.0)  # noqa: E731
        shapes = [("1-d.1-d", [4], [4]), ("2-d.1-d", [3, 4], [4]), ("1-d.2-d", [4], [4, 2]),
                  ("2-d.2-d", [3, 4], [4, 5]), ("batched-broadcast", [2, 1, 3, 4], [5, 4, 2]),
                  ("3-d.1-d", [2, 3, 4], [4]), ("1-d.3-d", [4], [2, 4, 3]), ("3-d.2-d", [2, 3, 4], [4, 2]),
                  ("2-d.3-d", [3, 4], [2, 4, 2]), ("inner-1", [3, 1], [1, 4]), ("empty-inner", [3, 0], [0, 2])]
        for name, sa, sb in shapes:
            f.add(f"matmul/{d}/{name}", "matmul", [u(sa), u(sb)], {}, "accumulate")
        f.add(f"matmul/{d}/transposed-lhs", "matmul", [u([4, 3]).t(), u([4, 5])], {}, "accumulate")
        f.add(f"matmul/{d}/transposed-rhs", "matmul", [u([3, 4]), u([5, 4]).t()], {}, "accumulate")
        f.add(f"matmul/{d}/transposed-both", "matmul", [u([4, 3]).t(), u([5, 4]).t()], {}, "accumulate")
        f.add(f"matmul/{d}/batched-permuted", "matmul", [u([3, 2, 4]).permute(1, 0, 2), u([2, 2, 4]).transpose(1, 2)],
              {}, "accumulate")
        f.add(f"mm/{d}", "mm", [u([3, 4]), u([4, 2])], {}, "accumulate")
        f.add(f"mm/{d}/transposed", "mm", [u([4, 3]).t(), u([2, 4]).t()], {}, "accumulate")
        f.add(f"bmm/{d}", "bmm", [u([2, 3, 4]), u([2, 4, 2])], {}, "accumulate")
        f.add(f"bmm/{d}/transposed-rhs", "bmm", [u([2, 3, 4]), u([2, 2, 4]).transpose(1, 2)], {}, "accumulate")
    for d in ["float16", "bfloat16"]:
        f.add(f"matmul/{d}/2-d.2-d", "matmul", [r.grid([3, 4], d, -2.0, 2.0), r.grid([4, 2], d, -2.0, 2.0)],
              {}, "accumulate")
        f.add(f"matmul/{d}/uniform", "matmul", [r.uniform([3, 4], d, -2.0, 2.0), r.uniform([4, 2], d, -2.0, 2.0)],
              {}, "accumulate")
    f.add("matmul/int64/2-d.2-d", "matmul", [r.ints([3, 4], "int64"), r.ints([4, 2], "int64")])
    f.add("matmul/int32/1-d.1-d", "matmul", [r.ints([5], "int32"), r.ints([5], "int32")])
    for d in ["float32", "float64"]:
        u = lambda shape: r.uniform(shape, d, -2.0, 2.0)  # noqa: E731
        f.add(f"matmul/{d}/gappy-lhs", "matmul", [gappy(u, [3, 4]), u([4, 2])], {}, "accumulate")
        f.add(f"matmul/{d}/gappy-rhs", "matmul", [u([3, 4]), gappy(u, [4, 2])], {}, "accumulate")
        f.add(f"matmul/{d}/gappy-both-transposed", "matmul", [gappy(u, [4, 3]).t(), gappy(u, [2, 4]).t()], {},
              "accumulate")
        f.add(f"matmul/{d}/gappy-batched", "matmul", [gappy(u, [2, 3, 4]), gappy(u, [2, 4, 2])], {}, "accumulate")
        f.add(f"matmul/{d}/gappy-1-d.2-d", "matmul", [gappy(u, [4]), gappy(u, [4, 3])], {}, "accumulate")
    f.add("matmul/float16/gappy-both", "matmul", [gappy(lambda shape: r.grid(shape, "float16", -2.0, 2.0), [3, 4]),
                                                  gappy(lambda shape: r.grid(shape, "float16", -2.0, 2.0), [4, 2])],
          {}, "accumulate")
    f.add("matmul/int64/gappy-lhs", "matmul", [gappy(lambda shape: r.ints(shape, "int64"), [3, 4]), r.ints([4, 2], "int64")])
    f.add("matmul/float32/special", "matmul", [T([[1.0, NAN], [INF, 1.0], [INF, -INF]]), T([[1.0, 0.0], [0.0, 1.0]])],
          {}, "accumulate")


# --- joining ----------------------------------------------------------------------------------

def joining(f):
    r = f.rand
    a, b = r.grid([2, 3]), r.grid([1, 3])
    f.add("cat/dim0", "cat", [a, b], {"dim": 0})
    f.add("cat/dim1", "cat", [a, r.grid([2, 2])], {"dim": 1})
    f.add("cat/dim-1", "cat", [a, r.grid([2, 1])], {"dim": -1})
    f.add("cat/default-dim", "cat", [a, b])
    f.add("cat/three", "cat", [a, b, r.grid([2, 3])], {"dim": 0})
    f.add("cat/single", "cat", [a], {"dim": 1})
    f.add("cat/3-d-dim1", "cat", [r.grid([2, 1, 2]), r.grid([2, 3, 2])], {"dim": 1})
    f.add("cat/3-d-dim-2", "cat", [r.grid([2, 1, 2]), r.grid([2, 2, 2])], {"dim": -2})
    f.add("cat/transposed-input", "cat", [r.grid([3, 2]).t(), a], {"dim": 0})
    f.add("cat/int32+float32-promotes", "cat", [r.ints([2], "int32"), r.grid([3])], {"dim": 0})
    f.add("cat/bool+uint8-promotes", "cat", [T([True, False], "bool"), T([7, 200], "uint8")])
    f.add("cat/int64+float16-promotes", "cat", [T([1, 2], "int64"), T([0.5], "float16")])
    f.add("cat/float16+bfloat16-promotes", "cat", [T([0.1], "float16"), T([0.1], "bfloat16")])
    f.add("cat/bool+int32-promotes", "cat", [T([True], "bool"), T([-3], "int32")])
    f.add("cat/float32+float64-promotes", "cat", [T([0.1]), T([0.1], "float64")])
    f.add("cat/empty-2-d", "cat", [torch.zeros(0, 3), a], {"dim": 0})
    f.add("cat/all-empty", "cat", [torch.zeros(0, 3), torch.zeros(0, 3)], {"dim": 0})
    f.add("cat/legacy-1-d-empty-is-skipped", "cat", [a, torch.zeros(0)], {"dim": 0})
    f.add("cat/legacy-1-d-empty-int32-still-promotes", "cat", [T([[1, 2]], "uint8"), torch.zeros(0, dtype=torch.int32)])
    f.add("cat/bool", "cat", [r.bools([2, 2]), r.bools([2, 1])], {"dim": 1})

    c, d = r.grid([2, 3]), r.grid([2, 3])
    for name, dim in [("dim0", 0), ("dim1", 1), ("dim2", 2), ("dim-1", -1), ("dim-3", -3)]:
        f.add(f"stack/{name}", "stack", [c, d], {"dim": dim})
    f.add("stack/default-dim", "stack", [c, d])
    f.add("stack/three-1-d", "stack", [r.grid([4]), r.grid([4]), r.grid([4])], {"dim": 1})
    f.add("stack/0-dim", "stack", [T(1.5), T(2.5), T(-0.5)])
    f.add("stack/int32+float32-promotes", "stack", [r.ints([3], "int32"), r.grid([3])])
    f.add("stack/int64", "stack", [r.ints([2, 2], "int64"), r.ints([2, 2], "int64")], {"dim": 1})

    s = r.grid([5, 2])
    f.add("split/int-uneven", "split", [s], {"split_size_or_sections": 2})
    f.add("split/int-dim1", "split", [s], {"split_size_or_sections": 1, "dim": 1})
    f.add("split/int-larger-than-dim", "split", [s], {"split_size_or_sections": 10})
    f.add("split/sections", "split", [s], {"split_size_or_sections": [1, 3, 1]})
    f.add("split/sections-with-zero", "split", [s], {"split_size_or_sections": [2, 0, 3]})
    f.add("split/sections-dim-1", "split", [r.grid([2, 5])], {"split_size_or_sections": [3, 2], "dim": -1})
    f.add("split/int32", "split", [r.ints([6], "int32")], {"split_size_or_sections": 4})

    f.add("chunk/5-into-3", "chunk", [r.grid([5])], {"chunks": 3})
    f.add("chunk/6-into-4-gives-3", "chunk", [r.grid([6])], {"chunks": 4})
    f.add("chunk/dim1-7-into-3", "chunk", [r.grid([2, 7])], {"chunks": 3, "dim": 1})
    f.add("chunk/one", "chunk", [r.grid([2, 3])], {"chunks": 1})
    f.add("chunk/more-chunks-than-elements", "chunk", [r.grid([3])], {"chunks": 5})
    f.add("chunk/even", "chunk", [r.grid([4, 2])], {"chunks": 2, "dim": 0})
    f.add("chunk/dim-1", "chunk", [r.ints([2, 4], "int64")], {"chunks": 2, "dim": -1})
    grid = lambda shape: r.grid(shape)  # noqa: E731
    f.add("cat/gappy-inputs", "cat", [gappy(grid, [2, 3]), gappy(grid, [1, 3]).t().t()], {"dim": 0})
    f.add("cat/gappy-dim1", "cat", [gappy(grid, [2, 2]), r.grid([2, 1]), gappy(grid, [2, 3])], {"dim": 1})
    f.add("stack/gappy-inputs", "stack", [gappy(grid, [2, 3]), gappy(grid, [3, 2]).t()], {"dim": 1})
    f.add("split/gappy", "split", [gappy(grid, [5, 2])], {"split_size_or_sections": 2})
    f.add("chunk/gappy-dim1", "chunk", [gappy(grid, [2, 5])], {"chunks": 2, "dim": 1})
    f.add("cat/gappy-int64", "cat", [gappy(lambda shape: r.ints(shape, "int64"), [2, 2]), r.ints([1, 2], "int64")])


# --- indexing ---------------------------------------------------------------------------------

def indexing(f):
    r = f.rand
    x = r.grid([3, 4])
    f.add("gather/dim0", "gather", [x], {"dim": 0, "index": r.ints([2, 4], "int64", 0, 2)})
    f.add("gather/dim1", "gather", [x], {"dim": 1, "index": r.ints([3, 2], "int64", 0, 3)})
    f.add("gather/dim-1", "gather", [x], {"dim": -1, "index": r.ints([3, 5], "int64", 0, 3)})
    f.add("gather/index-smaller-than-input", "gather", [x], {"dim": 1, "index": r.ints([2, 2], "int64", 0, 3)})
    f.add("gather/3-d-dim1", "gather", [r.grid([2, 3, 2])], {"dim": 1, "index": r.ints([2, 4, 2], "int64", 0, 2)})
    f.add("gather/int32-input", "gather", [r.ints([3, 4], "int32")], {"dim": 0, "index": r.ints([3, 4], "int64", 0, 2)})
    f.add("gather/transposed-input", "gather", [x.t()], {"dim": 1, "index": r.ints([4, 2], "int64", 0, 2)})
    f.add("gather/1-d", "gather", [r.grid([5])], {"dim": 0, "index": T([4, 0, 0, 2], "int64")})
    f.add("gather/int32-index", "gather", [x], {"dim": 1, "index": T([[0, 3], [1, 1]], "int32")})
    f.add("gather/empty-index", "gather", [x], {"dim": 1, "index": torch.zeros(3, 0, dtype=torch.int64)})

    rows = torch.stack([r.perm(3)[:2] for _ in range(5)], dim=1)  # [2, 5], unique per column
    cols = torch.stack([r.perm(5)[:3] for _ in range(2)], dim=0)  # [2, 3], unique per row
    f.add("scatter/dim0-src", "scatter", [torch.zeros(3, 5)], {"dim": 0, "index": rows, "src": r.grid([2, 5])})
    f.add("scatter/dim1-src", "scatter", [r.grid([2, 5])], {"dim": 1, "index": cols, "src": r.grid([2, 3])})
    f.add("scatter/src-larger-than-index", "scatter", [torch.zeros(2, 5)],
          {"dim": 1, "index": cols, "src": r.grid([3, 4])})
    f.add("scatter/value", "scatter", [r.grid([3, 5])], {"dim": 0, "index": rows, "value": S(2.5)})
    f.add("scatter/int64-value", "scatter", [r.ints([2, 5], "int64")], {"dim": 1, "index": cols, "value": S(-7)})
    f.add("scatter/int32-src", "scatter", [r.ints([3, 5], "int32")],
          {"dim": 0, "index": rows, "src": r.ints([2, 5], "int32")})
    f.add("scatter/dim-1", "scatter", [torch.zeros(2, 5)], {"dim": -1, "index": cols, "src": r.grid([2, 3])})

    dup0 = r.ints([4, 3], "int64", 0, 2)
    dup1 = r.ints([2, 6], "int64", 0, 3)
    f.add("scatter_add/dim0-duplicates", "scatter_add", [torch.zeros(3, 3)],
          {"dim": 0, "index": dup0, "src": r.grid([4, 3])}, "rounded")
    f.add("scatter_add/dim1-duplicates", "scatter_add", [r.grid([2, 4])],
          {"dim": 1, "index": dup1, "src": r.uniform([2, 6])}, "accumulate")
    f.add("scatter_add/int32", "scatter_add", [torch.zeros(2, 4, dtype=torch.int32)],
          {"dim": 1, "index": dup1, "src": r.ints([2, 6], "int32")})
    f.add("scatter_add/float64-1-d", "scatter_add", [torch.zeros(4, dtype=torch.float64)],
          {"dim": 0, "index": T([0, 3, 0, 0, 1], "int64"), "src": r.uniform([5], "float64")}, "accumulate")
    # Where a fiber names one position twice, the later element is written last.
    f.add("scatter/duplicates-last-wins", "scatter", [torch.zeros(2, 3)],
          {"dim": 1, "index": T([[0, 0, 2, 0], [1, 1, 1, 2]], "int64"), "src": T([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])})
    # float16 and bfloat16 sums accumulate in float32 and round once: adding 1 to 2048 one
    # step at a time in float16 would stay at 2048 (and 4 in bfloat16).
    repeats = T([[0, 1] * 8, [1] * 16], "int64")
    f.add("scatter_add/float16-accumulates-in-float32", "scatter_add", [torch.full((2, 2), 2048.0).half()],
          {"dim": 1, "index": repeats, "src": torch.ones(2, 16).half()})
    f.add("scatter_add/bfloat16-accumulates-in-float32", "scatter_add", [torch.full((2, 2), 2048.0).bfloat16()],
          {"dim": 1, "index": repeats, "src": torch.full((2, 16), 4.0).bfloat16()})
    # float32 adds in float32, in order: 1 + 1e8 + 1 + 1 - 1e8 is 0.
    f.add("scatter_add/float32-adds-in-order", "scatter_add", [torch.ones(1, 2)],
          {"dim": 1, "index": T([[0, 0, 0, 0]], "int64"), "src": T([[1e8, 1.0, 1.0, -1e8]])})
    f.add("scatter_add/uint8-wraps", "scatter_add", [T([250, 3], "uint8")],
          {"dim": 0, "index": T([0, 0, 1], "int64"), "src": T([5, 6, 7], "uint8")})
    f.add("scatter_add/bool-ors", "scatter_add", [T([False, True, False], "bool")],
          {"dim": 0, "index": T([0, 0, 1, 2], "int64"), "src": T([True, True, False, False], "bool")})

    f.add("index_select/dim0-repeats", "index_select", [x], {"dim": 0, "index": T([2, 0, 2], "int64")})
    f.add("index_select/dim1-int32-index", "index_select", [x], {"dim": 1, "index": T([3, 1], "int32")})
    f.add("index_select/dim-1", "index_select", [x], {"dim": -1, "index": T([0, 0, 1, 3, 2], "int64")})
    f.add("index_select/empty-index", "index_select", [x], {"dim": 1, "index": torch.zeros(0, dtype=torch.int64)})
    f.add("index_select/1-d", "index_select", [r.ints([6], "int32")], {"dim": 0, "index": T([5, 4, 0], "int64")})
    f.add("index_select/0-dim-index", "index_select", [x], {"dim": 0, "index": T(1, "int64")})
    f.add("index_select/bool-input", "index_select", [r.bools([4, 2])], {"dim": 0, "index": T([3, 1], "int64")})
    f.add("index_select/transposed-input", "index_select", [x.t()], {"dim": 1, "index": T([2, 0], "int64")})

    cond = r.bools([2, 3])
    f.add("where/same-shape", "where", [cond, r.grid([2, 3]), r.grid([2, 3])])
    f.add("where/broadcast", "where", [r.bools([2, 1]), r.grid([1, 3]), r.grid([2, 3])])
    f.add("where/broadcast-3-d", "where", [r.bools([3]), r.grid([2, 1, 1]), r.grid([1, 2, 1])])
    f.add("where/int32+float64-promotes", "where", [cond, r.ints([2, 3], "int32"), r.grid([3], "float64")])
    f.add("where/int32+float-scalar-promotes", "where", [cond, r.ints([2, 3], "int32"), S(2.5)])
    f.add("where/float16+float-scalar-keeps-float16", "where", [cond, r.grid([2, 3], "float16"), S(0.1)])
    f.add("where/int-scalars-give-int64", "where", [cond, S(1), S(0)])
    f.add("where/float-and-int-scalars-give-float32", "where", [cond, S(1.5), S(0)])
    f.add("where/bool-values", "where", [cond, r.bools([2, 3]), S(False)])
    f.add("where/float16+float32-promotes", "where", [cond, r.grid([2, 3], "float16"), r.grid([2, 3])])
    f.add("where/uint8+bool", "where", [cond, T([1, 2, 3], "uint8"), T([[True], [False]], "bool")])
    f.add("where/nan-values", "where", [T([True, False, True]), T([NAN, 1.0, -0.0]), T([2.0, NAN, 0.0])])

    f.add("masked_fill/float32", "masked_fill", [x, r.bools([3, 4]), S(-1.5)])
    f.add("masked_fill/mask-broadcast", "masked_fill", [x, r.bools([4]), S(0.0)])
    f.add("masked_fill/-inf", "masked_fill", [x, r.bools([3, 1]), S(-INF)])
    f.add("masked_fill/nan", "masked_fill", [x, r.bools([3, 4]), S(NAN)])
    f.add("masked_fill/int32-int-value", "masked_fill", [r.ints([2, 3], "int32"), r.bools([2, 3]), S(7)])
    f.add("masked_fill/int32-float-value-truncates", "masked_fill", [r.ints([2, 3], "int32"), r.bools([2, 3]), S(2.7)])
    f.add("masked_fill/bool", "masked_fill", [r.bools([4]), T([True, False, True, False]), S(True)])
    f.add("masked_fill/float16-value-rounds", "masked_fill", [r.grid([4], "float16"), T([True, False, True, True]),
                                                               S(0.1)])
    f.add("masked_fill/bool-float-value", "masked_fill", [T([True, False, False]), T([False, True, True]), S(0.5)])
    f.add("masked_fill/uint8", "masked_fill", [T([1, 2, 3], "uint8"), T([False, True, False]), S(255)])
    f.add("masked_fill/int64-bool-value", "masked_fill", [r.ints([3], "int64"), T([True, False, True]), S(True)])

    # Every dtype through the copying kernels (each element size: 1, 2, 4 and 8 bytes).
    for d in ["float64", "float16", "bfloat16", "int64", "uint8", "bool"]:
        y = r.any([3, 4], d)
        f.add(f"gather/{d}/dim1", "gather", [y], {"dim": 1, "index": r.ints([3, 3], "int64", 0, 3)})
        f.add(f"gather/{d}/transposed-dim0", "gather", [y.t()], {"dim": 0, "index": r.ints([2, 3], "int64", 0, 3)})
        f.add(f"index_select/{d}/dim0", "index_select", [y], {"dim": 0, "index": T([2, 0, 2], "int64")})
        f.add(f"index_select/{d}/dim1", "index_select", [y], {"dim": 1, "index": T([3, 1], "int32")})
        f.add(f"scatter/{d}/dim0-src", "scatter", [r.any([3, 5], d)], {"dim": 0, "index": rows, "src": r.any([2, 5], d)})
        f.add(f"masked_fill/{d}/int-value", "masked_fill", [y, r.bools([4]), S(1)])
    f.add("gather/int64/large-values", "gather", [T([[2**40, -2**40, 3], [7, 2**62, -1]], "int64")],
          {"dim": 1, "index": T([[2, 0], [1, 1]], "int64")})
    f.add("index_select/int64/large-values", "index_select", [T([2**40, -2**40, 2**62], "int64")],
          {"dim": 0, "index": T([2, 2, 0], "int64")})
    f.add("scatter/float64/value", "scatter", [r.grid([3, 5], "float64")], {"dim": 0, "index": rows, "value": S(0.1)})
    f.add("scatter/bfloat16/value-rounds", "scatter", [r.grid([3, 5], "bfloat16")],
          {"dim": 0, "index": rows, "value": S(0.1)})
    f.add("scatter_add/float64/dim1", "scatter_add", [r.grid([2, 4], "float64")],
          {"dim": 1, "index": dup1, "src": r.uniform([2, 6], "float64")}, "accumulate")
    f.add("scatter_add/int64/dim0", "scatter_add", [torch.zeros(3, 3, dtype=torch.int64)],
          {"dim": 0, "index": dup0, "src": T([[2**40] * 3, [1] * 3, [-5] * 3, [2**33] * 3], "int64")})
    f.add("masked_fill/bfloat16-value-rounds", "masked_fill", [r.grid([4], "bfloat16"), T([True, False, True, True]),
                                                                S(0.1)])
    f.add("masked_fill/float64-value-exact", "masked_fill", [r.grid([4], "float64"), T([True, False, True, True]),
                                                              S(0.1)])

    grid = lambda shape: r.grid(shape)  # noqa: E731
    index = lambda shape, high: r.ints(shape, "int64", 0, high)  # noqa: E731
    f.add("gather/gappy-input-and-index", "gather", [gappy(grid, [3, 4])], {"dim": 1, "index": gappy(lambda s: index(s, 3), [3, 2])})
    f.add("gather/gappy-float64-dim0", "gather", [gappy(lambda s: r.grid(s, "float64"), [3, 4])],
          {"dim": 0, "index": index([2, 4], 2)})
    f.add("index_select/gappy-input", "index_select", [gappy(grid, [3, 4])], {"dim": 1, "index": T([3, 0, 3], "int64")})
    f.add("index_select/gappy-index", "index_select", [grid([3, 4])], {"dim": 0, "index": gappy(lambda s: index(s, 2), [4])})
    f.add("scatter/gappy-input-and-src", "scatter", [gappy(grid, [3, 5])],
          {"dim": 0, "index": rows, "src": gappy(grid, [2, 5])})
    f.add("scatter_add/gappy-input", "scatter_add", [gappy(grid, [2, 4])],
          {"dim": 1, "index": dup1, "src": r.grid([2, 6])}, "accumulate")
    f.add("where/gappy-all", "where", [gappy(r.bools, [2, 3]), gappy(grid, [2, 3]), gappy(grid, [3]).unsqueeze(0)])
    f.add("masked_fill/gappy-input-and-mask", "masked_fill", [gappy(grid, [3, 4]), gappy(r.bools, [3, 4]), S(-2.5)])
    f.add("masked_fill/gappy-int32", "masked_fill", [gappy(lambda s: r.ints(s, "int32"), [2, 3]), r.bools([3]), S(9)])


# --- scans ------------------------------------------------------------------------------------

def scans(f):
    r = f.rand
    x = r.uniform([3, 4])
    special = T([[0.0, -INF, 1.0, -INF], [-INF, -INF, -INF, -INF], [1000.0, 1001.0, 1002.0, 999.0],
                 [NAN, 1.0, 2.0, 3.0], [INF, 1.0, 0.0, -1.0], [-1000.0, 0.0, -1000.0, -2000.0]])
    for op in ["softmax", "log_softmax"]:
        for name, dim in [("dim1", 1), ("dim0", 0), ("dim-1", -1)]:
            f.add(f"{op}/float32/{name}", op, [x], {"dim": dim}, "transcendental")
        f.add(f"{op}/float32/3-d-dim1", op, [r.uniform([2, 3, 4])], {"dim": 1}, "transcendental")
        f.add(f"{op}/float32/special-rows", op, [special], {"dim": 1}, "transcendental")
        f.add(f"{op}/float64/dim1", op, [x.double()], {"dim": 1}, "transcendental")
        f.add(f"{op}/float64/special-rows", op, [special.double()], {"dim": 1}, "transcendental")
        f.add(f"{op}/float16/dim1", op, [x.half()], {"dim": 1}, "transcendental")
        f.add(f"{op}/bfloat16/dim1", op, [x.bfloat16()], {"dim": 1}, "transcendental")
        f.add(f"{op}/float16/special-rows", op, [special[:2].half()], {"dim": 1}, "transcendental")
        f.add(f"{op}/int64-with-dtype-float32", op, [T([[1, 2, 3], [0, 0, 0]], "int64")],
              {"dim": 1, "dtype": "float32"}, "transcendental")
        f.add(f"{op}/float32-with-dtype-float64", op, [x], {"dim": 0, "dtype": "float64"}, "transcendental")
        f.add(f"{op}/transposed-input", op, [x.t()], {"dim": 1}, "transcendental")
        f.add(f"{op}/single-element", op, [T([[3.0]])], {"dim": 1}, "transcendental")
        f.add(f"{op}/0-dim", op, [T(3.0)], {"dim": 0}, "transcendental")

    for name, dim in [("dim0", 0), ("dim1", 1), ("dim-1", -1)]:
        f.add(f"cumsum/float32/{name}", "cumsum", [x], {"dim": dim}, "accumulate")
    f.add("cumsum/float64/dim1", "cumsum", [x.double()], {"dim": 1}, "accumulate")
    f.add("cumsum/float16/dim1", "cumsum", [r.grid([3, 4], "float16")], {"dim": 1}, "accumulate")
    f.add("cumsum/bfloat16/dim1", "cumsum", [r.grid([3, 4], "bfloat16")], {"dim": 1}, "accumulate")
    f.add("cumsum/int32-gives-int64", "cumsum", [r.ints([3, 4], "int32")], {"dim": 1})
    f.add("cumsum/int64", "cumsum", [r.ints([6], "int64")], {"dim": 0})
    f.add("cumsum/uint8-gives-int64", "cumsum", [T([200, 100, 255], "uint8")], {"dim": 0})
    f.add("cumsum/bool-gives-int64", "cumsum", [r.bools([2, 5])], {"dim": 1})
    f.add("cumsum/int32-dtype-float64", "cumsum", [r.ints([5], "int32")], {"dim": 0, "dtype": "float64"})
    f.add("cumsum/int32-dtype-int32", "cumsum", [r.ints([5], "int32")], {"dim": 0, "dtype": "int32"})
    f.add("cumsum/float32/special", "cumsum", [T([[1.0, NAN, 2.0], [INF, -INF, 1.0], [-0.0, -0.0, 1.0]])],
          {"dim": 1}, "accumulate")
    f.add("cumsum/empty", "cumsum", [torch.zeros(0)], {"dim": 0})
    f.add("cumsum/0-dim", "cumsum", [T(2.5)], {"dim": 0})
    f.add("cumsum/transposed-input", "cumsum", [x.t()], {"dim": 1}, "accumulate")

    p = r.uniform([3, 4], low=0.5, high=2.0)
    for name, dim in [("dim0", 0), ("dim1", 1), ("dim-1", -1)]:
        f.add(f"cumprod/float32/{name}", "cumprod", [p], {"dim": dim}, "accumulate")
    f.add("cumprod/float64/dim1", "cumprod", [p.double()], {"dim": 1}, "accumulate")
    f.add("cumprod/float16/dim1", "cumprod", [r.uniform([2, 4], "float16", 0.5, 2.0)], {"dim": 1}, "accumulate")
    f.add("cumprod/with-zero", "cumprod", [T([2.0, -1.5, 0.0, 3.0, NAN])], {"dim": 0}, "accumulate")
    f.add("cumprod/int32-gives-int64", "cumprod", [r.nonzero_ints([2, 5], "int32", 4)], {"dim": 1})
    f.add("cumprod/uint8-gives-int64", "cumprod", [T([20, 30, 2, 0], "uint8")], {"dim": 0})
    f.add("cumprod/bool-gives-int64", "cumprod", [T([True, True, False, True], "bool")], {"dim": 0})
    f.add("cumprod/int64", "cumprod", [T([-2, 3, -4, 5], "int64")], {"dim": 0})
    f.add("cumprod/bfloat16/dim1", "cumprod", [r.uniform([2, 4], "bfloat16", 0.5, 2.0)], {"dim": 1}, "accumulate")
    f.add("cumprod/transposed-input", "cumprod", [p.t()], {"dim": 1}, "accumulate")
    f.add("cumprod/int32-dtype-float64", "cumprod", [r.nonzero_ints([5], "int32", 4)], {"dim": 0, "dtype": "float64"})
    f.add("cumsum/float64/permuted-input", "cumsum", [r.uniform([2, 3, 4], "float64").permute(2, 0, 1)], {"dim": 2},
          "accumulate")
    u = lambda shape: r.uniform(shape)  # noqa: E731
    for op in ["softmax", "log_softmax", "cumsum"]:
        for dim in [0, 1]:
            f.add(f"{op}/float32/gappy-dim{dim}", op, [gappy(u, [3, 4])], {"dim": dim},
                  "transcendental" if "softmax" in op else "accumulate")
    f.add("cumprod/float32/gappy-dim1", "cumprod", [gappy(lambda s: r.uniform(s, low=0.5, high=2.0), [3, 4])], {"dim": 1},
          "accumulate")
    f.add("softmax/float16/gappy-dim1", "softmax", [gappy(lambda s: r.uniform(s, "float16"), [2, 4])], {"dim": 1},
          "transcendental")
    f.add("cumsum/int32/gappy-gives-int64", "cumsum", [gappy(lambda s: r.ints(s, "int32"), [2, 4])], {"dim": 1})


# --- sorting ----------------------------------------------------------------------------------

def sorting(f):
    r = f.rand
    g = r.grid([3, 5], low=-2.0, high=2.0, step=1.0)  # ties
    special = T([NAN, 1.0, -INF, INF, 1.0, NAN, -0.0, 0.0, -1.0, 0.0])
    for desc in [False, True]:
        suffix = "descending" if desc else "ascending"
        kwargs = {"stable": True, "descending": desc}
        f.add(f"sort/float32/ties-dim-1/{suffix}", "sort", [g], {"dim": -1, **kwargs})
        f.add(f"sort/float32/ties-dim0/{suffix}", "sort", [g], {"dim": 0, **kwargs})
        f.add(f"sort/float32/special/{suffix}", "sort", [special], {"dim": 0, **kwargs})
        f.add(f"sort/float64/{suffix}", "sort", [r.uniform([6], "float64")], {"dim": 0, **kwargs})
        f.add(f"sort/float16/ties/{suffix}", "sort", [g.half()], {"dim": 1, **kwargs})
        f.add(f"sort/bfloat16/special/{suffix}", "sort", [special.bfloat16()], {"dim": 0, **kwargs})
        f.add(f"sort/int32/ties/{suffix}", "sort", [r.ints([2, 6], "int32", -3, 3)], {"dim": 1, **kwargs})
        f.add(f"sort/int64/{suffix}", "sort", [r.ints([7], "int64", -100, 100)], {"dim": 0, **kwargs})
        f.add(f"sort/uint8/{suffix}", "sort", [T([200, 3, 255, 0, 3], "uint8")], {"dim": 0, **kwargs})
        f.add(f"sort/bool/{suffix}", "sort", [T([True, False, True, False, False], "bool")], {"dim": 0, **kwargs})
        f.add(f"sort/transposed-input/{suffix}", "sort", [g.t()], {"dim": 1, **kwargs})
    f.add("sort/float32/default-dim", "sort", [g], {"stable": True})
    f.add("sort/0-dim", "sort", [T(1.5)], {"stable": True})
    f.add("sort/empty", "sort", [torch.zeros(0)], {"stable": True})

    u = r.uniform([3, 6])  # distinct values (uniform draws; checked below)
    if torch.unique(u).numel() != u.numel():
        fail("topk input has ties")
    for largest in [True, False]:
        suffix = "largest" if largest else "smallest"
        f.add(f"topk/float32/k2-dim-1/{suffix}", "topk", [u], {"k": 2, "dim": -1, "largest": largest, "sorted": True})
        f.add(f"topk/float32/k2-dim0/{suffix}", "topk", [u], {"k": 2, "dim": 0, "largest": largest, "sorted": True})
        f.add(f"topk/float32/k-all/{suffix}", "topk", [u], {"k": 6, "largest": largest, "sorted": True})
        f.add(f"topk/float32/k0/{suffix}", "topk", [u], {"k": 0, "largest": largest, "sorted": True})
        f.add(f"topk/float32/nan/{suffix}", "topk", [T([1.0, NAN, 3.0, -INF, 2.0])],
              {"k": 2, "largest": largest, "sorted": True})
        f.add(f"topk/float64/{suffix}", "topk", [u.double()], {"k": 3, "dim": 1, "largest": largest, "sorted": True})
        f.add(f"topk/float16/{suffix}", "topk", [T([0.5, -1.0, 2.0, 1.5, -3.0], "float16")],
              {"k": 3, "largest": largest, "sorted": True})
        f.add(f"topk/int32/{suffix}", "topk", [(r.perm(8).to(torch.int32) - 3).reshape(2, 4)],
              {"k": 2, "dim": 1, "largest": largest, "sorted": True})
        f.add(f"topk/uint8/{suffix}", "topk", [T([3, 200, 255, 0, 7], "uint8")],
              {"k": 2, "largest": largest, "sorted": True})
    f.add("topk/float32/default-largest-sorted", "topk", [u], {"k": 3})

    for desc in [False, True]:
        suffix = "descending" if desc else "ascending"
        f.add(f"argsort/float32/ties-dim-1/{suffix}", "argsort", [g], {"dim": -1, "descending": desc, "stable": True})
        f.add(f"argsort/float32/ties-dim0/{suffix}", "argsort", [g], {"dim": 0, "descending": desc, "stable": True})
        f.add(f"argsort/float32/special/{suffix}", "argsort", [special], {"dim": 0, "descending": desc, "stable": True})
        f.add(f"argsort/int32/ties/{suffix}", "argsort", [r.ints([8], "int32", -2, 2)],
              {"dim": 0, "descending": desc, "stable": True})
        f.add(f"argsort/bool/{suffix}", "argsort", [T([True, False, True, False], "bool")],
              {"descending": desc, "stable": True})
    f.add("argsort/float32/default-dim", "argsort", [g], {"stable": True})

    for desc in [False, True]:
        suffix = "descending" if desc else "ascending"
        kwargs = {"dim": 0, "descending": desc, "stable": True}
        f.add(f"argsort/float16/special/{suffix}", "argsort", [special.half()], kwargs)
        f.add(f"argsort/bfloat16/special/{suffix}", "argsort", [special.bfloat16()], kwargs)
        f.add(f"argsort/float64/special/{suffix}", "argsort", [special.double()], kwargs)
        f.add(f"argsort/int64/ties/{suffix}", "argsort", [T([2**40, -3, 2**40, 0, -2**40, -3], "int64")], kwargs)
        f.add(f"argsort/uint8/ties/{suffix}", "argsort", [T([200, 3, 255, 3, 0, 200], "uint8")], kwargs)
    for largest in [True, False]:
        suffix = "largest" if largest else "smallest"
        kwargs = {"k": 3, "largest": largest, "sorted": True}
        f.add(f"topk/bfloat16/{suffix}", "topk", [T([0.5, -1.0, 2.0, 1.5, -3.0, NAN], "bfloat16")], kwargs)
        f.add(f"topk/int64/{suffix}", "topk", [T([2**40, -3, 7, -2**40, 0], "int64")], kwargs)
        f.add(f"topk/float32/transposed-input/{suffix}", "topk", [u.t()], {**kwargs, "dim": 0})
    gr = lambda shape: r.grid(shape, low=-2.0, high=2.0, step=1.0)  # noqa: E731
    for desc in [False, True]:
        suffix = "descending" if desc else "ascending"
        kwargs = {"descending": desc, "stable": True}
        f.add(f"sort/float32/gappy-dim1/{suffix}", "sort", [gappy(gr, [3, 5])], {"dim": 1, **kwargs})
        f.add(f"sort/float32/gappy-dim0/{suffix}", "sort", [gappy(gr, [3, 5])], {"dim": 0, **kwargs})
        f.add(f"argsort/int64/gappy/{suffix}", "argsort", [gappy(lambda s: r.ints(s, "int64", -3, 3), [2, 6])],
              {"dim": 1, **kwargs})
        f.add(f"sort/float64/gappy/{suffix}", "sort", [gappy(lambda s: r.uniform(s, "float64"), [6])], {"dim": 0, **kwargs})
    f.add("topk/float32/gappy", "topk", [gappy(lambda s: r.uniform(s), [3, 6])], {"k": 2, "dim": 1})
    f.add("topk/float32/gappy-smallest-dim0", "topk", [gappy(lambda s: r.uniform(s), [4, 3])],
          {"k": 3, "dim": 0, "largest": False})


# --- errors -----------------------------------------------------------------------------------

def errors(f):
    r = f.rand
    x = r.grid([2, 3])
    e = f.error
    e("add/shape-mismatch", "add", [x, r.grid([4])])
    e("add/broadcast-mismatch-2-d", "add", [x, r.grid([3, 2])])
    e("add/int-tensors-float-alpha", "add", [r.ints([3], "int32"), r.ints([3], "int32")], {"alpha": S(0.5)})
    e("sub/bool-tensors", "sub", [T([True, False]), T([False, False])])
    e("sub/bool-tensor-float-tensor", "sub", [T([True, False]), T([1.0, 2.0])])
    e("sub/bool-tensor-int-scalar", "sub", [T([True, False]), S(1)])
    e("full/float-overflows-float16", "full", [], {"size": [2], "fill_value": S(1e5), "dtype": "float16"})
    e("neg/bool", "neg", [T([True, False])])
    e("abs/bool", "abs", [T([True, False])])
    e("relu/bool", "relu", [T([True, False])])
    e("gelu/int64", "nn.functional.gelu", [T([1, 2], "int64")], {"approximate": "none"})
    e("div/int-floor-by-zero", "div", [T([1, 2], "int32"), T([0, 1], "int32")], {"rounding_mode": "floor"})
    e("div/int-trunc-by-zero", "div", [T([1, 2], "int64"), T([1, 0], "int64")], {"rounding_mode": "trunc"})
    e("remainder/int-by-zero", "remainder", [T([1, 2], "int32"), T([0, 1], "int32")])
    e("pow/int-negative-scalar-exponent", "pow", [T([2, 3], "int32")], {"exponent": S(-1)})
    e("matmul/inner-mismatch", "matmul", [r.grid([2, 3]), r.grid([4, 2])])
    e("matmul/1-d-length-mismatch", "matmul", [r.grid([3]), r.grid([4])])
    e("matmul/batch-mismatch", "matmul", [r.grid([2, 2, 3]), r.grid([3, 3, 2])])
    e("matmul/0-dim", "matmul", [T(2.0), r.grid([3])])
    e("matmul/dtype-mismatch", "matmul", [r.grid([2, 3]), r.grid([3, 2], "float64")])
    e("mm/inner-mismatch", "mm", [r.grid([2, 3]), r.grid([2, 3])])
    e("mm/1-d-input", "mm", [r.grid([3]), r.grid([3, 2])])
    e("bmm/batch-mismatch", "bmm", [r.grid([2, 2, 3]), r.grid([3, 3, 2])])
    e("bmm/2-d-input", "bmm", [r.grid([2, 3]), r.grid([3, 2])])
    e("cat/shape-mismatch", "cat", [x, r.grid([2, 2])], {"dim": 0})
    e("cat/rank-mismatch", "cat", [x, r.grid([3])], {"dim": 0})
    e("cat/dim-out-of-range", "cat", [x, x], {"dim": 2})
    e("cat/empty-list", "cat", [], {"dim": 0})
    e("stack/shape-mismatch", "stack", [x, r.grid([3, 2])])
    e("stack/dim-out-of-range", "stack", [x, x], {"dim": 4})
    e("sum/dim-out-of-range", "sum", [x], {"dim": 2})
    e("sum/negative-dim-out-of-range", "sum", [x], {"dim": -3})
    e("sum/repeated-dim", "sum", [x], {"dim": [0, -2]})
    e("transpose/dim-out-of-range", "transpose", [x], {"dim0": 0, "dim1": 2})
    e("permute/repeated-dim", "permute", [x], {"dims": [0, 0]})
    e("permute/wrong-length", "permute", [x], {"dims": [0]})
    e("squeeze/dim-out-of-range", "squeeze", [x], {"dim": 3})
    e("unsqueeze/dim-out-of-range", "unsqueeze", [x], {"dim": 4})
    e("softmax/dim-out-of-range", "softmax", [x], {"dim": 2})
    e("cumsum/dim-out-of-range", "cumsum", [x], {"dim": -3})
    e("sort/dim-out-of-range", "sort", [x], {"dim": 2, "stable": True})
    e("select/index-out-of-range", "select", [x], {"dim": 1, "index": 3})
    e("narrow/out-of-range", "narrow", [x], {"dim": 1, "start": 2, "length": 2})
    e("slice/step-zero", "slice", [x], {"dim": 1, "start": None, "end": None, "step": 0})
    e("slice/negative-step", "slice", [x], {"dim": 1, "start": None, "end": None, "step": -1})
    e("gather/index-out-of-bounds", "gather", [x], {"dim": 1, "index": T([[0, 3]], "int64")})
    e("gather/negative-index", "gather", [x], {"dim": 1, "index": T([[0, -1]], "int64")})
    e("gather/index-rank-mismatch", "gather", [x], {"dim": 1, "index": T([0, 1], "int64")})
    e("scatter/index-out-of-bounds", "scatter", [x], {"dim": 0, "index": T([[2, 0, 0]], "int64"),
                                                      "src": r.grid([1, 3])})
    e("scatter/dtype-mismatch", "scatter", [x], {"dim": 0, "index": T([[1, 0, 0]], "int64"),
                                                 "src": r.grid([1, 3], "float64")})
    e("scatter_add/index-out-of-bounds", "scatter_add", [x], {"dim": 1, "index": T([[0, 5]], "int64"),
                                                              "src": r.grid([1, 2])})
    e("index_select/index-out-of-range", "index_select", [x], {"dim": 0, "index": T([0, 2], "int64")})
    e("index_select/2-d-index", "index_select", [x], {"dim": 0, "index": T([[0], [1]], "int64")})
    e("index_select/float-index", "index_select", [x], {"dim": 0, "index": T([0.0])})
    e("where/non-bool-condition", "where", [T([1.0, 0.0]), T([1.0, 2.0]), T([3.0, 4.0])])
    e("where/shape-mismatch", "where", [T([True, False]), r.grid([3]), r.grid([2])])
    e("masked_fill/uint8-mask", "masked_fill", [x, T([1, 0, 1], "uint8"), S(0.0)])
    e("masked_fill/mask-shape-mismatch", "masked_fill", [x, T([True, False]), S(0.0)])
    e("masked_fill/value-overflows-uint8", "masked_fill", [T([1, 2], "uint8"), T([True, False]), S(300)])
    e("reshape/incompatible-size", "reshape", [x], {"shape": [4, 2]})
    e("reshape/two-inferred-dims", "reshape", [x], {"shape": [-1, -1]})
    e("reshape/inferred-with-zero", "reshape", [torch.zeros(0, 3)], {"shape": [0, -1]})
    e("view/non-viewable-strides", "view", [r.grid([3, 2]).t()], {"size": [-1]}, method=True)
    e("view/incompatible-size", "view", [x], {"size": [5]}, method=True)
    e("expand/incompatible", "expand", [r.grid([2, 3])], {"size": [3, 3]}, method=True)
    e("expand/fewer-dims", "expand", [r.grid([2, 3])], {"size": [3]}, method=True)
    e("expand/minus-one-on-new-dim", "expand", [r.grid([3])], {"size": [-1, 3]}, method=True)
    e("mean/int32", "mean", [T([1, 2, 3], "int32")])
    e("mean/bool", "mean", [T([True, False])])
    e("var/int64", "var", [T([1, 2, 3], "int64")])
    e("std/int32", "std", [T([1, 2, 3], "int32")], {"dim": 0})
    e("norm/int64", "linalg.vector_norm", [T([1, 2, 3], "int64")])
    e("softmax/int64", "softmax", [T([1, 2], "int64")], {"dim": 0})
    e("amax/empty-dim", "amax", [torch.zeros(0, 3)], {"dim": 0})
    e("amax/empty-all", "amax", [torch.zeros(0)])
    e("argmax/empty", "argmax", [torch.zeros(0)])
    e("argmax/tuple-dim", "argmax", [x], {"dim": [0, 1]})
    e("prod/tuple-dim", "prod", [x], {"dim": [0, 1]})
    e("topk/k-too-large", "topk", [r.grid([4])], {"k": 5})
    e("split/zero-size", "split", [r.grid([4])], {"split_size_or_sections": 0})
    e("split/sections-wrong-sum", "split", [r.grid([4])], {"split_size_or_sections": [1, 2]})
    e("chunk/zero-chunks", "chunk", [r.grid([4])], {"chunks": 0})
    e("arange/step-zero", "arange", [], {"start": S(0), "end": S(5), "step": S(0)})
    e("arange/step-sign-mismatch", "arange", [], {"start": S(0), "end": S(5), "step": S(-1)})
    e("arange/nan-bound", "arange", [], {"start": S(0.0), "end": S(NAN)})
    e("linspace/negative-steps", "linspace", [], {"start": S(0.0), "end": S(1.0), "steps": -1})
    e("eye/negative-n", "eye", [], {"n": -1})
    e("zeros/negative-size", "zeros", [], {"size": [2, -1]})
    e("full/int-overflows-uint8", "full", [], {"size": [2], "fill_value": S(300), "dtype": "uint8"})
    e("full/nan-to-int32", "full", [],
      {"size": [2], "fill_value": S(NAN), "dtype": "int32"})
    e("norm/dtype-narrows", "linalg.vector_norm", [x], {"dtype": "float16"})
    e("norm/dtype-not-floating", "linalg.vector_norm", [x], {"dtype": "int32"})
    e("norm/int64-with-dtype-float32", "linalg.vector_norm", [T([3, 4], "int64")], {"dtype": "float32"})
    e("as_strided/out-of-bounds", "as_strided", [r.grid([12])], {"size": [4, 4], "stride": [3, 1]})
    e("as_strided/offset-out-of-bounds", "as_strided", [r.grid([12])], {"size": [2, 2], "stride": [0, 1], "storage_offset": 11})
    e("as_strided/negative-stride", "as_strided", [r.grid([12])], {"size": [2, 3], "stride": [-3, 1]})
    e("as_strided/negative-offset", "as_strided", [r.grid([12])], {"size": [2, 3], "stride": [3, 1], "storage_offset": -1})
    e("as_strided/lengths-differ", "as_strided", [r.grid([12])], {"size": [2, 3], "stride": [3]})
    e("view/gappy-incompatible", "view", [gappy(lambda s: r.grid(s), [3, 4])], {"size": [12]}, method=True)


# --- overlapping inputs -----------------------------------------------------------------------

def overlapping(f):
    """Inputs whose elements share storage, as PyTorch makes them by expand and as_strided:
    stride-0 dims (an expanded column, row or scalar, one of them from an offset) and a sliding
    window (strides [1, 1]). Every op family reads them."""
    r = f.rand
    column = r.grid([4, 1]).expand(4, 5)        # strides [1, 0]
    row = r.grid([1, 5]).expand(4, 5)           # strides [0, 1]
    splat = r.grid([6])[3:4].expand(4, 5)       # strides [0, 0], offset 3
    window = r.uniform([8]).as_strided([4, 5], [1, 1])  # sliding window: distinct values per row
    dense = r.grid([4, 5])
    inputs = [("column", column), ("row", row), ("splat", splat), ("window", window)]

    for name, x in inputs:
        for op, tol in [("neg", None), ("abs", None), ("exp", "transcendental"), ("sigmoid", "transcendental"),
                        ("relu", None), ("square", "rounded")]:
            f.add(f"{op}/{name}", op, [x], tol=tol)
        f.add(f"add/{name}+dense", "add", [x, dense], tol="rounded")
        f.add(f"mul/dense*{name}", "mul", [dense, x], tol="rounded")
        f.add(f"gt/{name}>dense", "gt", [x, dense])
        f.add(f"maximum/{name}-dense", "maximum", [x, dense])
    f.add("add/column+row", "add", [column, row], tol="rounded")
    f.add("sub/window-column", "sub", [window, column], tol="rounded")
    f.add("div/row/window", "div", [row, window], tol="rounded")
    f.add("add/window+window", "add", [window, window], tol="rounded")
    for d in ["float64", "float16", "int64", "uint8", "bool"]:
        f.add(f"neg/column/{d}" if d != "bool" else "logical_not/column/bool",
              "neg" if d != "bool" else "logical_not", [column.to(DTYPES[d])])
        f.add(f"add/column+row/{d}" if d != "bool" else "logical_or/column-row/bool",
              "add" if d != "bool" else "logical_or", [column.to(DTYPES[d]), row.to(DTYPES[d])],
              tol="rounded" if d in FLOATS else None)

    for name, x in inputs:
        for dim_name, dim in [("all", None), ("dim0", 0), ("dim1", 1)]:
            kwargs = {} if dim is None else {"dim": dim}
            f.add(f"sum/{name}/{dim_name}", "sum", [x], kwargs, "accumulate")
            f.add(f"amax/{name}/{dim_name}", "amax", [x], kwargs)
            f.add(f"var/{name}/{dim_name}", "var", [x], kwargs, "accumulate")
            f.add(f"norm/{name}/{dim_name}", "linalg.vector_norm", [x], kwargs, "accumulate")
        for dim in [0, 1]:
            f.add(f"mean/{name}/dim{dim}-keepdim", "mean", [x], {"dim": dim, "keepdim": True}, "accumulate")
            f.add(f"prod/{name}/dim{dim}", "prod", [x], {"dim": dim}, "accumulate")
            # Along a stride-0 dim every element ties: the first index wins, as in PyTorch.
            f.add(f"argmax/{name}/dim{dim}", "argmax", [x], {"dim": dim})
            f.add(f"argmin/{name}/dim{dim}", "argmin", [x], {"dim": dim})
            f.add(f"all/{name}-gt0/dim{dim}", "all", [x > 0], {"dim": dim})
            f.add(f"any/{name}-gt0/dim{dim}", "any", [x > 0], {"dim": dim})
    f.add("sum/column/int64", "sum", [column.to(torch.int64)], {"dim": 1})
    f.add("sum/row/float16", "sum", [row.half()], {"dim": 0}, "accumulate")

    for name, x in inputs:
        for dim in [0, 1]:
            f.add(f"softmax/{name}/dim{dim}", "softmax", [x], {"dim": dim}, "transcendental")
            f.add(f"log_softmax/{name}/dim{dim}", "log_softmax", [x], {"dim": dim}, "transcendental")
            f.add(f"cumsum/{name}/dim{dim}", "cumsum", [x], {"dim": dim}, "accumulate")
            f.add(f"cumprod/{name}/dim{dim}", "cumprod", [x], {"dim": dim}, "accumulate")
            # Stable: ties along a stride-0 dim keep their order.
            f.add(f"sort/{name}/dim{dim}", "sort", [x], {"dim": dim, "stable": True})
            f.add(f"argsort/{name}/dim{dim}/descending", "argsort", [x], {"dim": dim, "stable": True, "descending": True})
    f.add("topk/window/dim1", "topk", [window], {"k": 3, "dim": 1})
    f.add("topk/window/dim0-smallest", "topk", [window], {"k": 2, "dim": 0, "largest": False})

    rhs = r.grid([5, 3])
    f.add("matmul/column@dense", "matmul", [column, rhs], tol="accumulate")
    f.add("matmul/row@dense", "matmul", [row, rhs], tol="accumulate")
    f.add("matmul/window@dense", "matmul", [window, rhs], tol="accumulate")
    f.add("matmul/dense@window", "matmul", [r.grid([3, 4]), window], tol="accumulate")
    f.add("matmul/splat@window-t", "matmul", [splat, window.t()], tol="accumulate")
    f.add("matmul/batch-expanded@dense", "matmul", [r.grid([1, 3, 4]).expand(2, 3, 4), r.grid([2, 4, 2])],
          tol="accumulate")
    f.add("matmul/vector-expanded@dense", "matmul", [r.grid([1])[0:1].expand(5), rhs], tol="accumulate")
    f.add("matmul/column@dense/float64", "matmul", [column.double(), rhs.double()], tol="accumulate")
    f.add("matmul/column@dense/int64", "matmul", [column.to(torch.int64), rhs.to(torch.int64)])

    f.add("cat/column-window/dim0", "cat", [column, window], {"dim": 0})
    f.add("cat/row-splat/dim1", "cat", [row, splat], {"dim": 1})
    f.add("stack/column-row", "stack", [column, row], {"dim": 1})
    index = r.ints([4, 3], "int64", 0, 4)
    f.add("gather/column/dim1", "gather", [column], {"dim": 1, "index": index})
    f.add("gather/window/dim1", "gather", [window], {"dim": 1, "index": index})
    f.add("index_select/window/dim0", "index_select", [window], {"dim": 0, "index": T([3, 0, 3], "int64")})
    f.add("index_select/row/dim1", "index_select", [row], {"dim": 1, "index": T([4, 1], "int64")})
    f.add("where/column-gt0/window/row", "where", [column > 0, window, row])
    f.add("masked_fill/window", "masked_fill", [window, dense > 0, S(-1.0)])
    f.add("scatter_add/into-column", "scatter_add", [column], {"dim": 1, "index": index, "src": r.grid([4, 3])},
          "rounded")

    f.add("contiguous/column", "contiguous", [column], method=True)
    f.add("contiguous/window", "contiguous", [window], method=True)
    f.add("reshape/column-copies", "reshape", [column], {"shape": [-1]})
    f.add("reshape/window-copies", "reshape", [window], {"shape": [5, 4]})
    f.add("transpose/column", "transpose", [column], {"dim0": 0, "dim1": 1})
    f.add("narrow/window", "narrow", [window], {"dim": 1, "start": 1, "length": 3})
    f.add("flatten/splat", "flatten", [splat])


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
