import Foundation
import Testing
@testable import DeviceShimDevices

/// The CPU's `AxisOp` kernels: softmax and running totals against values computed here in
/// `Double`, on the vector path (float32, contiguous) and the strided one, with the special
/// lanes PyTorch defines (NaN, ±inf) and the contract's errors.
@Suite struct CPUAxisTests {
    /// Runs `op` along `axis` of a dense `shape` input; returns the output's elements.
    private func run(_ op: AxisOp, _ values: [Double], shape: [Int], axis: Int, _ dtype: DType = .float32) throws -> [Double] {
        let (input, output) = (try cpuBuffer(values, dtype), try cpuBuffer(values.map { _ in 7 }, dtype))
        let queue = try cpuQueue()
        try queue.alongAxis(op, input: StridedOperand(input, dtype: dtype, shape: shape), axis: axis,
                            output: StridedOperand(output, dtype: dtype, shape: shape))
        try queue.synchronize()
        return contents(output, dtype, count: values.count)
    }

    private func softmax(_ lane: [Double]) -> [Double] {
        let maximum = lane.max()!
        let sum = lane.reduce(0) { $0 + exp($1 - maximum) }
        return lane.map { exp($0 - maximum) / sum }
    }

    /// Rows of lengths that exercise the vector kernel's full vectors, tail, and blocks of 4096.
    @Test(arguments: [1, 15, 16, 33, 1000, 4097])
    func float32SoftmaxRowsMatchDouble(length: Int) throws {
        var random = SeededGenerator(seed: UInt64(length))
        let rows = 3
        let values = (0..<rows * length).map { _ in Double(Float(Double.random(in: -30...30, using: &random))) }
        let soft = try run(.softmax, values, shape: [rows, length], axis: 1)
        let logSoft = try run(.logSoftmax, values, shape: [rows, length], axis: 1)
        for row in 0..<rows {
            let lane = Array(values[row * length..<(row + 1) * length])
            let (expected, maximum) = (softmax(lane), lane.max()!)
            for (index, value) in expected.enumerated() {
                let i = row * length + index
                // x - max rounds to float (half an ulp of |x - max|), which exp turns into a
                // relative error; exp, the sum and the scaling add a few ulp.
                let relative = 4e-7 + 1e-7 * abs(lane[index] - maximum)
                #expect(abs(soft[i] - value) <= relative * value + 1e-44, "softmax row \(row) [\(index)]")
                #expect(abs(logSoft[i] - log(value)) <= 2e-6 * max(1, abs(log(value))), "log_softmax row \(row) [\(index)]")
            }
        }
    }

    /// float32 softmax down the columns of a matrix (`ds_float_softmax_columns`): 1041
    /// columns (a tile of 1024, then a vector and a tail of one), a NaN column, a +inf column
    /// and an all -inf column (NaN throughout, as along rows), a -inf element in a finite
    /// column. The output rows are wider than the input's; in place, the output is the input.
    @Test(arguments: [false, true])
    func float32SoftmaxDownColumnsMatchesDouble(inPlace: Bool) throws {
        let (rows, columns, outputRow) = (37, 1041, 1050)
        var random = SeededGenerator(seed: 3)
        var values = (0..<rows * columns).map { _ in Double(Float(Double.random(in: -30...30, using: &random))) }
        values[5 * columns + 2] = .nan
        values[7 * columns + 1030] = .infinity
        for row in 0..<rows { values[row * columns + 1040] = -.infinity }
        values[9 * columns + 17] = -.infinity
        let queue = try cpuQueue()
        for log in [false, true] {
            let input = try cpuBuffer(values, .float32)
            let output = inPlace ? input : try cpuBuffer([Double](repeating: 7, count: rows * outputRow), .float32)
            let outputStrides = inPlace ? [columns, 1] : [outputRow, 1]
            try queue.alongAxis(log ? .logSoftmax : .softmax, input: StridedOperand(input, dtype: .float32, shape: [rows, columns]),
                                axis: 0, output: StridedOperand(output, dtype: .float32, shape: [rows, columns], strides: outputStrides))
            try queue.synchronize()
            let result = contents(output, .float32, count: inPlace ? rows * columns : rows * outputRow)
            for column in 0..<columns {
                let lane = (0..<rows).map { values[$0 * columns + column] }
                let got = (0..<rows).map { result[$0 * outputStrides[0] + column] }
                if [2, 1030, 1040].contains(column) {
                    #expect(got.allSatisfy { $0.isNaN }, "column \(column) should be NaN")
                    continue
                }
                let (expected, maximum) = (softmax(lane), lane.max()!)
                for row in 0..<rows {
                    let value = expected[row]
                    if lane[row] == -.infinity {
                        #expect(got[row] == (log ? -.infinity : 0), "[\(row), \(column)] is -inf")
                    } else if log {
                        #expect(abs(got[row] - Foundation.log(value)) <= 2e-6 * max(1, abs(Foundation.log(value))),
                                "log_softmax [\(row), \(column)]")
                    } else {
                        let relative = 4e-7 + 1e-7 * abs(lane[row] - maximum)
                        #expect(abs(got[row] - value) <= relative * value + 1e-44, "softmax [\(row), \(column)]")
                    }
                }
            }
            if !inPlace { #expect(result[columns] == 7 && result[outputRow - 1] == 7, "the gap after each output row is untouched") }
        }
    }

    /// Softmax down the columns (a strided axis) of float64 and float16 matrices.
    @Test(arguments: [DType.float64, .float16, .bfloat16])
    func softmaxAlongAStridedAxis(dtype: DType) throws {
        let values: [Double] = [1, 2, 3, 4, 0.5, -1, 2, 8, -3, 0, 0, 0]  // 3 rows, 4 columns
        let result = try run(.softmax, values, shape: [3, 4], axis: 0, dtype)
        for column in 0..<4 {
            let expected = softmax([values[column], values[4 + column], values[8 + column]])
            for row in 0..<3 {
                let rounded = TestElements.rounded(expected[row], to: dtype)
                #expect(abs(result[row * 4 + column] - rounded) <= tolerance(dtype) * max(1, rounded), "[\(row), \(column)]")
            }
        }
    }

    /// A lane with NaN, +inf, or only -inf is NaN throughout; -inf elements of a finite lane
    /// get 0 (softmax) and -inf (log-softmax). Lanes of 20 take the vector path's tail.
    @Test(arguments: [DType.float32, .float64])
    func specialLanes(dtype: DType) throws {
        let length = 20
        var values = [Double](repeating: 1, count: 4 * length)
        values[3] = .nan
        values[length + 5] = .infinity
        for i in 2 * length..<3 * length { values[i] = -.infinity }
        values[3 * length] = -.infinity
        let soft = try run(.softmax, values, shape: [4, length], axis: 1, dtype)
        let logSoft = try run(.logSoftmax, values, shape: [4, length], axis: 1, dtype)
        #expect(soft[0..<3 * length].allSatisfy { $0.isNaN })
        #expect(logSoft[0..<3 * length].allSatisfy { $0.isNaN })
        #expect(soft[3 * length] == 0 && logSoft[3 * length] == -.infinity)
        #expect(abs(soft[3 * length + 1] - 1.0 / 19) < 1e-7)
        #expect(abs(logSoft[3 * length + 1] + log(19)) < 1e-6)
    }

    @Test func runningTotalsWrapForIntegersAndAccumulateInDoubleForFloats() throws {
        let ints = try run(.cumsum, [1, 2, 3, 2_147_483_647, 1, 1], shape: [2, 3], axis: 1, .int32)
        #expect(ints == [1, 3, 6, 2_147_483_647, -2_147_483_648, -2_147_483_647])
        let products = try run(.cumprod, [1, 2, 3, 4, 5, 6], shape: [3, 2], axis: 0, .int64)
        #expect(products == [1, 2, 3, 8, 15, 48])
        // 2^24 + 1 + 1 is exact in Double, not in Float: a float accumulator would lose both ones.
        let floats = try run(.cumsum, [16_777_216, 1, 1], shape: [3], axis: 0)
        #expect(floats == [16_777_216, 16_777_216, 16_777_218])
        let bytes = try run(.cumsum, [200, 100], shape: [2], axis: 0, .uint8)
        #expect(bytes == [200, 44])
    }

    /// Running totals walk several lanes at once (`RunningTotals`): tiles of adjacent lanes
    /// (axis 0, 4100 columns: two tiles of 2048 and one of 4, split across cores), groups of
    /// four lanes and the rest one by one (axis 1, 4099 rows), into a dense output and into
    /// a transposed one. Every lane must still fold its own elements in order, so the result
    /// equals a lane-at-a-time loop exactly.
    @Test(arguments: [(AxisOp.cumsum, DType.float32), (.cumprod, .float32), (.cumsum, .int32), (.cumprod, .int64)])
    func runningTotalsOverManyLanesMatchALaneAtATime(op: AxisOp, dtype: DType) throws {
        var random = SeededGenerator(seed: 7)
        for (rows, columns, axis) in [(64, 4100, 0), (4099, 64, 1)] {
            // Integer products of odd factors never wrap to 0; float ones stay near 1.
            let values = (0..<rows * columns).map { _ -> Double in
                let x = Double.random(in: -2...2, using: &random)
                if !dtype.isFloatingPoint { return op == .cumprod ? [-3, -1, 1, 3][Int(x + 2) % 4] : (x * 3).rounded() }
                return Double(Float(op == .cumprod ? 1 + x / 64 : x))
            }
            let expected = laneAtATime(op, dtype, values, rows: rows, columns: columns, axis: axis)
            let queue = try cpuQueue()
            let input = StridedOperand(try cpuBuffer(values, dtype), dtype: dtype, shape: [rows, columns])
            let (dense, transposed) = (try cpuBuffer(values.map { _ in 7 }, dtype), try cpuBuffer(values.map { _ in 7 }, dtype))
            try queue.alongAxis(op, input: input, axis: axis, output: StridedOperand(dense, dtype: dtype, shape: [rows, columns]))
            try queue.alongAxis(op, input: input, axis: axis,
                                output: StridedOperand(transposed, dtype: dtype, shape: [rows, columns], strides: [1, rows]))
            try queue.synchronize()
            let denseResult = contents(dense, dtype, count: values.count)
            let transposedResult = contents(transposed, dtype, count: values.count)
            let mismatches = (0..<values.count).filter { (index: Int) -> Bool in
                let transposedIndex = (index % columns) * rows + index / columns
                return denseResult[index] != expected[index]
                    || transposedResult[transposedIndex] != expected[index]
            }
            #expect(mismatches.count == 0, "\(op) \(dtype) along \(axis): the first at \(mismatches.first ?? -1)")
        }
    }

    /// `op` along `axis` of a `rows` × `columns` matrix, lane by lane: float32 totals in
    /// `Double` rounded to float, integer ones wrapping in 64 bits then truncated to `dtype`.
    private func laneAtATime(_ op: AxisOp, _ dtype: DType, _ values: [Double], rows: Int, columns: Int, axis: Int) -> [Double] {
        var expected = values
        let (lanes, length) = axis == 0 ? (columns, rows) : (rows, columns)
        for lane in 0..<lanes {
            var total = op == .cumsum ? 0.0 : 1.0
            var wrapped: Int64 = op == .cumsum ? 0 : 1
            for step in 0..<length {
                let index = axis == 0 ? step * columns + lane : lane * columns + step
                let x = values[index]
                total = op == .cumsum ? total + x : total * x
                wrapped = op == .cumsum ? wrapped &+ Int64(x) : wrapped &* Int64(x)
                switch dtype {
                case .float32: expected[index] = Double(Float(total))
                case .int32: expected[index] = Double(Int32(truncatingIfNeeded: wrapped))
                default: expected[index] = Double(wrapped)
                }
            }
        }
        return expected
    }

    @Test func badOperandsAreInvalidArguments() throws {
        let queue = try cpuQueue()
        expectAlongAxisRefusals(queue, buffer: try cpuBuffer([1, 2, 3, 4], .float32))
    }
}
