"""Reference cases: scans, sorting, error cases, and inputs whose elements overlap."""

from tensor_references.common import *  # noqa: F401,F403


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
