import Testing
@testable import DeviceShimDevices

/// Conversion between every pair of dtypes, against the rules computed here: floats round
/// to nearest even, floats to integers truncate toward zero saturating (NaN to 0), integers
/// to integers wrap, anything to bool is `!= 0`.
@Suite struct CPUConvertTests {
    static let specialFloats: [Double] = [
        .nan, .infinity, -.infinity, -0.0, 0.999, -0.999, 1e10, -1e10, 300.7, -300.7, 255.9, 256, -1.5, 2.5,
        65519, 65520, 3e38, 1e-8, 2_147_483_520, -2_147_483_904, 0x1.0000_0000_0000_1p62,
    ]
    static let specialIntegers: [Double] = [0, 1, -1, 255, 256, 300, -129, 2049, Double(Int32.max), Double(Int32.min),
                                            Double(Int64(1) << 52 + 1), -Double(Int64(1) << 40 + 3)]

    @Test(arguments: DType.allCases)
    func everyConversionFrom(source: DType) throws {
        var random = SeededGenerator(seed: 0xC0_0000 + UInt64(DType.allCases.firstIndex(of: source)!))
        let queue = try cpuQueue()
        let specials = source.isFloatingPoint ? Self.specialFloats : Self.specialIntegers
        for destination in DType.allCases {
            #expect(CPUDevice.shared.supports(.convert(from: source), destination))
            var cases: [(shape: [Int], input: Layout, output: Layout, values: [Double]?)] = [
                ([specials.count], .contiguous, .contiguous, specials),
            ]
            for (index, shape) in randomShapes(count: 10, using: &random).enumerated() {
                cases.append((shape, Layout.allCases[index % 5], Layout.outputs[index % 4], nil))
            }
            for testCase in cases {
                var next = testCase.values?.makeIterator()
                let input = try TestTensor(testCase.shape, source, layout: testCase.input, using: &random) {
                    next?.next() ?? randomValue(source, using: &$0)
                }
                let output = try TestTensor(testCase.shape, destination, layout: testCase.output, using: &random) {
                    randomValue(destination, using: &$0)
                }
                try queue.convert(input: input.operand, output: output.operand)
                try queue.synchronize()
                let context = "\(source) → \(destination) shape \(testCase.shape) layouts \(testCase.input) \(testCase.output)"
                let sources = source.isFloatingPoint ? input.values() : input.integers().map(Double.init)
                if destination.isFloatingPoint {
                    let expected = sources.map { TestElements.rounded($0, to: destination) }
                    let actual = output.values()
                    let matches = zip(actual, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
                    #expect(matches, "\(context): \(actual) vs \(expected)")
                } else {
                    let integers = source.isFloatingPoint ? [] : input.integers()
                    let expected = sources.indices.map { index in
                        source.isFloatingPoint ? converted(sources[index], to: destination)
                            : TestElements.wrapped(integers[index], to: destination)
                    }
                    #expect(output.integers() == expected, "\(context)")
                }
                #expect(output.untouchedOutsideOperand(), "\(context) wrote outside its output")
            }
        }
    }

    /// Rounding twice (through float32) would round these the wrong way.
    @Test func bfloat16RoundsOnceFromDoubleAndInt64() throws {
        let queue = try cpuQueue()
        let double = try cpuBuffer([1 + 0x1p-8 + 0x1p-30], .float64)
        let int64 = try #require(try CPUDevice.shared.allocate(byteCount: 8) as? CPUBuffer)
        int64.baseAddress.storeBytes(of: Int64(1) << 60 + Int64(1) << 52 + 1, as: Int64.self)
        let output = try cpuBuffer([0, 0], .bfloat16)
        try queue.convert(input: StridedOperand(double, dtype: .float64, shape: [1]),
                          output: StridedOperand(output, dtype: .bfloat16, shape: [1]))
        try queue.convert(input: StridedOperand(int64, dtype: .int64, shape: [1]),
                          output: StridedOperand(output, dtype: .bfloat16, offset: 1, shape: [1]))
        try queue.synchronize()
        #expect(contents(output, .bfloat16, count: 2) == [1 + 0x1p-7, 0x1p60 + 0x1p53])
    }
}

/// A float converted to an integer dtype: NaN is 0, otherwise truncated toward zero and
/// clamped to the dtype's range; to bool, nonzero is true.
func converted(_ value: Double, to dtype: DType) -> Int64 {
    if dtype == .bool { return value != 0 ? 1 : 0 }
    if value.isNaN { return 0 }
    let (low, high): (Double, Double) = switch dtype {
    case .int32: (Double(Int32.min), Double(Int32.max))
    case .uint8: (0, 255)
    default: (-0x1p63, 0x1p63)
    }
    let truncated = value.rounded(.towardZero)
    if truncated <= low { return dtype == .int64 ? .min : Int64(low) }
    if truncated >= high { return dtype == .int64 ? .max : Int64(high) }
    return Int64(truncated)
}

/// The vectorisable float16 conversions agree with the standard library's.
@Suite struct HalfConversionTests {
    @Test func everyHalfWidensExactly() {
        let mismatches = (0...UInt16.max).filter { bits in
            let mine = HalfConversion.float(fromBits: bits), reference = Float(Float16(bitPattern: bits))
            return !(mine.bitPattern == reference.bitPattern || (mine.isNaN && reference.isNaN))
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// Every half's neighbourhood in float (ties, rounding boundaries, overflow, subnormals)
    /// and random floats narrow as `Float16(_:)` does.
    @Test func floatsNarrowToNearestEven() {
        var random = SeededGenerator(seed: 0xF16)
        var samples: [UInt32] = (0..<200_000).map { _ in UInt32.random(in: 0...UInt32.max, using: &random) }
        for bits in 0...UInt16.max {
            let center = Float(Float16(bitPattern: bits)).bitPattern
            samples += [center, center &+ 1, center &- 1, center &+ 0x1000, center &- 0x1000, center &+ 0xFFF, center &+ 0x1001]
        }
        let mismatches = samples.filter { bits in
            let value = Float(bitPattern: bits)
            let mine = HalfConversion.bits(from: value), reference = Float16(value).bitPattern
            return !(mine == reference || (value.isNaN && Float16(bitPattern: mine).isNaN))
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5).map { Float(bitPattern: $0) })")
    }
}
