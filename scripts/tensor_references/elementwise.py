"""Reference cases: creation, views, unary and binary ops, type promotion."""

from tensor_references.common import *  # noqa: F401,F403


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
