"""What every family of reference cases shares: dtypes, tolerances, the JSON encoding of
tensors and arguments, seeded inputs, and `Family`, which runs a case in PyTorch and records it."""

import os

# Before torch is imported: ATen reads these once, at load.
os.environ["ATEN_CPU_CAPABILITY"] = "default"
os.environ["TORCH_SHOW_CPP_STACKTRACES"] = "0"

import math  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
import zlib  # noqa: E402

import torch  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
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
