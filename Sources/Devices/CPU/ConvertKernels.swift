/// Conversion between any two dtypes, element-wise (see `CPUElement.init(converting:)` for
/// the rules: round to nearest even, floats to integers truncate toward zero saturating
/// with NaN as 0, integers to integers wrap, to bool is `!= 0`).
enum ConvertKernels {
    /// Runs the conversion from `source` to `destination` (operands validated).
    static func run(from source: DType, to destination: DType, _ operands: ElementwiseOperands) {
        if source == destination, ElementwiseKernels.copyAcrossRuns(width: source.byteSize, operands) { return }
        switch source {
        case .float32: run(from: Float.self, to: destination, operands)
        case .float64: run(from: Double.self, to: destination, operands)
        case .float16: run(from: Float16.self, to: destination, operands)
        case .bfloat16: run(from: BFloat16.self, to: destination, operands)
        case .int32: run(from: Int32.self, to: destination, operands)
        case .int64: run(from: Int64.self, to: destination, operands)
        case .uint8: run(from: UInt8.self, to: destination, operands)
        case .bool: run(from: BoolByte.self, to: destination, operands)
        }
    }

    private static func run<Source: CPUElement>(from _: Source.Type, to destination: DType, _ operands: ElementwiseOperands) {
        switch destination {
        case .float32: ElementwiseKernels.run(Conversion<Source, Float>.self, operands)
        case .float64: ElementwiseKernels.run(Conversion<Source, Double>.self, operands)
        case .float16: ElementwiseKernels.run(Conversion<Source, Float16>.self, operands)
        case .bfloat16: ElementwiseKernels.run(Conversion<Source, BFloat16>.self, operands)
        case .int32: ElementwiseKernels.run(Conversion<Source, Int32>.self, operands)
        case .int64: ElementwiseKernels.run(Conversion<Source, Int64>.self, operands)
        case .uint8: ElementwiseKernels.run(Conversion<Source, UInt8>.self, operands)
        case .bool: ElementwiseKernels.run(Conversion<Source, BoolByte>.self, operands)
        }
    }
}

enum Conversion<Source: CPUElement, Destination: CPUElement>: UnaryFunction {
    @inline(__always) static func apply(_ x: Source) -> Destination { Destination(converting: x.converted) }
}
