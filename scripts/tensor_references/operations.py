"""Reference cases: reductions, matmul, joining, indexing."""

from tensor_references.common import *  # noqa: F401,F403


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
