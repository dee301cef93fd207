#if canImport(Glibc)
import Glibc
#endif
import CCPUKernels
import Testing
@testable import DeviceShimDevices

/// The vectorised float32 functions (vector_math.h) against double-precision references:
/// special values exactly, and a sweep over float32 bit patterns with a bound on the error
/// in units in the last place. Only the clone the running CPU picks is exercised.
@Suite struct CPUVectorMathTests {
    /// Every `sweepStride`-th float32 bit pattern (about 2.1 million values, all exponents,
    /// both signs, denormals, infinities and NaNs).
    static let sweepStride: UInt32 = 2039

    /// The largest error found by the sweep that a function may have, in ulp.
    static let bounds: [(op: ds_float_unary_op, name: String, maxUlp: Double)] = [
        (DS_FLOAT_EXP, "exp", 2), (DS_FLOAT_LOG, "log", 2), (DS_FLOAT_TANH, "tanh", 3), (DS_FLOAT_SIGMOID, "sigmoid", 3),
        (DS_FLOAT_RELU, "relu", 0), (DS_FLOAT_ERF, "erf", 1.5), (DS_FLOAT_GELU, "gelu", 2),
    ]

    /// gelu computes x/2·(1 + erf(x/√2)) in float, as PyTorch does: below zero, 1 + erf
    /// cancels, so erf's error (under 1.5 ulp of a value below 1: 1.5·2^-24) and the rounding
    /// of 1 + erf (2^-25) become an absolute error below 2^-24·|x| (the sweep fails at 2^-25·|x|),
    /// allowed besides the ulp bound.
    static let geluSlackPerMagnitude = 0x1p-24

    @Test func sweepStaysWithinUlpBounds() {
        var inputs: [Float] = []
        var bitPattern: UInt64 = 0
        while bitPattern <= UInt64(UInt32.max) {
            inputs.append(Float(bitPattern: UInt32(bitPattern)))
            bitPattern += UInt64(Self.sweepStride)
        }
        for (op, name, maxUlp) in Self.bounds {
            for stream in [Int32(0), 1] {
                let outputs = apply(op, inputs, stream: stream)
                var worst = (error: 0.0, input: Float.zero, output: Float.zero)
                for (x, y) in zip(inputs, outputs) {
                    let expected = reference(op, Double(x))
                    var error = ulpError(y, expected)
                    if op == DS_FLOAT_GELU, error > maxUlp, (Double(y) - expected).magnitude <= Self.geluSlackPerMagnitude * Double(x.magnitude) {
                        error = 0
                    }
                    if error > worst.error { worst = (error, x, y) }
                }
                #expect(worst.error <= maxUlp,
                        "\(name) (stream \(stream)): \(worst.error) ulp at \(worst.input) (gives \(worst.output))")
            }
        }
    }

    @Test func specialValues() {
        let inf = Float.infinity
        let cases: [(ds_float_unary_op, Float, Float)] = [
            (DS_FLOAT_EXP, 0, 1), (DS_FLOAT_EXP, -0.0, 1), (DS_FLOAT_EXP, inf, inf), (DS_FLOAT_EXP, -inf, 0),
            (DS_FLOAT_EXP, 88.8, inf), (DS_FLOAT_EXP, 1000, inf), (DS_FLOAT_EXP, -104, 0), (DS_FLOAT_EXP, -1000, 0),
            (DS_FLOAT_EXP, -103, Float(bitPattern: 1)),
            (DS_FLOAT_LOG, 1, 0), (DS_FLOAT_LOG, 0, -inf), (DS_FLOAT_LOG, -0.0, -inf), (DS_FLOAT_LOG, inf, inf),
            (DS_FLOAT_TANH, inf, 1), (DS_FLOAT_TANH, -inf, -1), (DS_FLOAT_TANH, 20, 1), (DS_FLOAT_TANH, -20, -1),
            (DS_FLOAT_SIGMOID, 0, 0.5), (DS_FLOAT_SIGMOID, inf, 1), (DS_FLOAT_SIGMOID, -inf, 0), (DS_FLOAT_SIGMOID, 100, 1),
            (DS_FLOAT_ERF, 0, 0), (DS_FLOAT_ERF, -0.0, -0.0), (DS_FLOAT_ERF, inf, 1), (DS_FLOAT_ERF, -inf, -1),
            (DS_FLOAT_ERF, 3.95, 1), (DS_FLOAT_ERF, -1000, -1),
            (DS_FLOAT_GELU, 0, 0), (DS_FLOAT_GELU, inf, inf), (DS_FLOAT_GELU, -10, -0.0), (DS_FLOAT_GELU, 1000, 1000),
        ]
        for (op, x, expected) in cases {
            let y = apply(op, [x], stream: 0)[0]
            #expect(y == expected && y.sign == expected.sign, "op \(op.rawValue) of \(x) gives \(y), not \(expected)")
        }
        // Edges of the range: the largest finite exp, the least denormal's log, a denormal sigmoid.
        let edges: [(ds_float_unary_op, Float)] = [
            (DS_FLOAT_EXP, 88.72), (DS_FLOAT_EXP, -87.5), (DS_FLOAT_EXP, -100), (DS_FLOAT_LOG, Float(bitPattern: 1)),
            (DS_FLOAT_LOG, 0x1p-127), (DS_FLOAT_SIGMOID, -100), (DS_FLOAT_TANH, 0x1p-140),
        ]
        for (op, x) in edges {
            let y = apply(op, [x], stream: 0)[0]
            #expect(ulpError(y, reference(op, Double(x))) <= 2, "op \(op.rawValue) of \(x) gives \(y)")
        }
        // Signed zeros are kept where the function is odd, and by relu (as `torch.relu`).
        #expect(apply(DS_FLOAT_TANH, [-0.0], stream: 0)[0].sign == .minus)
        #expect(apply(DS_FLOAT_RELU, [-0.0, -inf, inf], stream: 0).map(\.bitPattern) == [Float(-0.0), 0, inf].map(\.bitPattern))
        let nanInputs: [(ds_float_unary_op, Float)] = [
            (DS_FLOAT_EXP, .nan), (DS_FLOAT_LOG, .nan), (DS_FLOAT_LOG, -1), (DS_FLOAT_LOG, -inf), (DS_FLOAT_TANH, .nan),
            (DS_FLOAT_SIGMOID, .nan), (DS_FLOAT_RELU, .nan), (DS_FLOAT_ERF, .nan), (DS_FLOAT_GELU, .nan),
            // -inf·(1 + erf(-inf)) is -inf·0, as in PyTorch.
            (DS_FLOAT_GELU, -inf),
        ]
        for (op, x) in nanInputs {
            #expect(apply(op, [x], stream: 0)[0].isNaN, "op \(op.rawValue) of \(x) is not NaN")
        }
    }

    /// Lengths around the vector width and misaligned starts take the partial-vector paths.
    @Test func everyLengthAndAlignmentMatchesOneByOne() {
        var random = SeededGenerator(seed: 0x7EC7_0001)
        let values = (0..<100).map { _ in Float.random(in: -30...30, using: &random) }
        for (op, _, _) in Self.bounds {
            let single = values.map { apply(op, [$0], stream: 0)[0] }
            for start in 0..<3 {
                for count in [0, 1, 15, 16, 17, 31, 33, 97 - start] {
                    for stream in [Int32(0), 1] {
                        let slice = Array(values[start..<(start + count)])
                        #expect(apply(op, slice, stream: stream).map(\.bitPattern) == single[start..<(start + count)].map(\.bitPattern),
                                "op \(op.rawValue), start \(start), count \(count), stream \(stream)")
                    }
                }
            }
        }
    }

    @Test func extremesFindTheFirstNaN() {
        var random = SeededGenerator(seed: 0x7EC7_0002)
        for trial in 0..<2000 {
            let count = Int.random(in: 1...150, using: &random)
            var values = (0..<count).map { _ in Float(Int.random(in: -500...500, using: &random)) }
            if trial % 3 == 0 { values[Int.random(in: 0..<count, using: &random)] = Float(nan: UInt32(trial), signaling: false) }
            let firstNaN = values.first { $0.isNaN }
            let (greatest, least) = values.withUnsafeBufferPointer {
                (ds_float_max($0.baseAddress!, count), ds_float_min($0.baseAddress!, count))
            }
            if let firstNaN {
                #expect(greatest.bitPattern == firstNaN.bitPattern && least.bitPattern == firstNaN.bitPattern)
            } else {
                #expect(greatest == values.max()! && least == values.min()!)
            }
        }
    }

    private func apply(_ op: ds_float_unary_op, _ inputs: [Float], stream: Int32) -> [Float] {
        var outputs = [Float](repeating: .nan, count: inputs.count)
        inputs.withUnsafeBufferPointer { input in
            outputs.withUnsafeMutableBufferPointer { output in
                if let source = input.baseAddress, let target = output.baseAddress {
                    ds_float_unary(op, source, target, inputs.count, stream)
                }
            }
        }
        return outputs
    }

    private func reference(_ op: ds_float_unary_op, _ x: Double) -> Double {
        switch op {
        case DS_FLOAT_EXP: exp(x)
        case DS_FLOAT_LOG: log(x)
        case DS_FLOAT_TANH: tanh(x)
        case DS_FLOAT_RELU: x < 0 ? 0 : x
        case DS_FLOAT_ERF: erf(x)
        case DS_FLOAT_GELU: x / 2 * (1 + erf(x * 0.707_106_781_186_547_524_4))
        default: 1 / (1 + exp(-x))
        }
    }
}

/// How far `value` is from `reference`, in float32 units in the last place at `reference`
/// (denormal spacing below the normal range). Matching NaNs and infinities are 0; a NaN or
/// infinity where the other is not is `.infinity`. References beyond the float32 range count
/// as infinite.
func ulpError(_ value: Float, _ reference: Double) -> Double {
    if reference.isNaN || value.isNaN { return reference.isNaN && value.isNaN ? 0 : .infinity }
    let rounded = Float(reference)  // rounds to nearest, overflowing to ±inf
    if rounded.isInfinite || value.isInfinite { return rounded == value ? 0 : .infinity }
    let exponent = max(Int(reference.magnitude.exponent), -126)
    let ulp = Double(sign: .plus, exponent: exponent - 23, significand: 1)
    return reference == 0 ? Double(value.magnitude) / 0x1p-149 : (Double(value) - reference).magnitude / ulp
}
