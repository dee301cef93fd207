/// The CPU's `argsort` kernel: each lane of the axis is sorted on its own, lanes split across
/// cores. Elements become unsigned 64-bit keys that order as PyTorch compares (NaN above
/// every number, -0.0 equal to 0.0); a lane sorts (key, position) pairs, so equal keys keep
/// their order whatever the sort algorithm.
extension CPUQueue {
    public func argsort(input: StridedOperand, axis: Int, descending: Bool, output: StridedOperand) throws(DeviceError) {
        try input.checkArgsort(axis: axis, output: output)
        let inputBuffer = try CPUValidation.buffer(input.buffer, role: "input")
        let outputBuffer = try CPUValidation.buffer(output.buffer, role: "output")
        let operands = AxisOperands(input: input, inputBuffer, axis: axis, output: output, outputBuffer)
        let dtype = input.dtype
        submitKernel {
            withExtendedLifetime((inputBuffer, outputBuffer)) { SortKernels.argsort(dtype, descending: descending, operands) }
        }
    }
}

enum SortKernels {
    static func argsort(_ dtype: DType, descending: Bool, _ operands: AxisOperands) {
        switch dtype {
        case .float32: argsort(Float.self, descending: descending, operands)
        case .float64: argsort(Double.self, descending: descending, operands)
        case .float16: argsort(Float16.self, descending: descending, operands)
        case .bfloat16: argsort(BFloat16.self, descending: descending, operands)
        case .int32: argsort(Int32.self, descending: descending, operands)
        case .int64: argsort(Int64.self, descending: descending, operands)
        case .uint8: argsort(UInt8.self, descending: descending, operands)
        case .bool: argsort(BoolByte.self, descending: descending, operands)
        }
    }

    private static func argsort<E: SortableElement>(_: E.Type, descending: Bool, _ operands: AxisOperands) {
        let length = operands.length
        // Descending order is ascending order of the complemented keys; positions still ascend.
        let flip: UInt64 = descending ? .max : 0
        AxisFunctions.forEachLane(E.self, Int64.self, operands) { input, output in
            var pairs = [(key: UInt64, position: Int)]()
            pairs.reserveCapacity(length)
            for position in 0..<length { pairs.append((input[position &* operands.inputStride].sortKey ^ flip, position)) }
            pairs.sort(by: <)
            for (slot, pair) in pairs.enumerated() { output[slot &* operands.outputStride] = Int64(pair.position) }
        }
    }
}

/// An element type with a key that orders its values as PyTorch's sort does.
protocol SortableElement: CPUElement {
    var sortKey: UInt64 { get }
}

extension SortableElement where Self: FloatElement {
    /// The float's bits made to order as unsigned integers: negative values complemented,
    /// others with the sign bit set; every NaN is the largest key and -0.0 is 0.0.
    var sortKey: UInt64 {
        let value = Double(math)
        guard !value.isNaN else { return .max }
        let bits = (value == 0 ? 0 : value).bitPattern
        return bits >> 63 == 1 ? ~bits : bits | 1 << 63
    }
}

extension SortableElement where Self: IntegerElement {
    /// The value offset so that the smallest of the type is key 0.
    var sortKey: UInt64 { UInt64(bitPattern: Int64(self)) ^ 1 << 63 }
}

extension Float: SortableElement {}
extension Double: SortableElement {}
extension Float16: SortableElement {}
extension BFloat16: SortableElement {}
extension Int32: SortableElement {}
extension Int64: SortableElement {}
extension UInt8: SortableElement {}

extension BoolByte: SortableElement {
    var sortKey: UInt64 { isNonzero ? 1 : 0 }
}
