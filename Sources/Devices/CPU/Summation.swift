import CCPUKernels

/// Fast, accurate sums of consecutive floating-point elements.
///
/// Elements are added in blocks of `blockLength`: within a block, into 32 (float32) or 16
/// (float64) independent lanes of vector accumulators, so each lane adds only
/// `blockLength / lanes` values (float32 rounding error grows with ~128 additions, not with
/// the length); the blocks' sums are then added in `Double`. float32 runs in a C kernel built
/// for the CPU's widest vectors (`ds_float_sum`, vector_kernels.h); float16 and bfloat16
/// blocks are widened to float32 and summed by it, so they accumulate in float32 as well.
enum Summation {
    static let blockLength = 4096

    static func sum(_ elements: UnsafePointer<Float>, count: Int) -> Double {
        ds_float_sum(elements, count)
    }

    /// Two `SIMD8<Double>` accumulators (8 SSE registers: enough independent additions to
    /// keep the adders busy, few enough not to spill), loaded from 64-byte aligned addresses
    /// so the loads fold into the additions; the elements before that alignment and each
    /// block's tail are added one by one.
    static func sum(_ elements: UnsafePointer<Double>, count: Int) -> Double {
        let misalignment = Int(bitPattern: elements) & 63
        let head = min(count, misalignment == 0 ? 0 : (64 - misalignment) / MemoryLayout<Double>.stride)
        var total = 0.0
        for i in 0..<head { total += elements[i] }
        var blockStart = head
        while blockStart < count {
            let blockEnd = min(count, blockStart + blockLength)
            var lanes0 = SIMD8<Double>(), lanes1 = SIMD8<Double>()
            var i = blockStart
            while i + 16 <= blockEnd {
                let chunk = UnsafeRawPointer(elements + i)
                lanes0 += chunk.load(as: SIMD8<Double>.self)
                lanes1 += chunk.load(fromByteOffset: 64, as: SIMD8<Double>.self)
                i += 16
            }
            var block = (lanes0 + lanes1).sum()
            while i < blockEnd {
                block += elements[i]
                i += 1
            }
            total += block
            blockStart = blockEnd
        }
        return total
    }

    /// Widens each block to float32 (in a stack buffer), then sums it as float32.
    static func sum<E: FloatElement>(widening elements: UnsafePointer<E>, count: Int) -> Double where E.Math == Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: blockLength) { block in
            let widened = block.baseAddress!
            var total = 0.0
            var blockStart = 0
            while blockStart < count {
                let length = min(blockLength, count - blockStart)
                for i in 0..<length { widened[i] = elements[blockStart + i].math }
                total += ds_float_sum(widened, length)
                blockStart += length
            }
            return total
        }
    }
}

extension Float {
    static func contiguousSum(_ elements: UnsafePointer<Float>, count: Int) -> Double {
        Summation.sum(elements, count: count)
    }
}

extension Double {
    static func contiguousSum(_ elements: UnsafePointer<Double>, count: Int) -> Double {
        Summation.sum(elements, count: count)
    }
}

extension Float16 {
    static func contiguousSum(_ elements: UnsafePointer<Float16>, count: Int) -> Double {
        Summation.sum(widening: elements, count: count)
    }
}

extension BFloat16 {
    static func contiguousSum(_ elements: UnsafePointer<BFloat16>, count: Int) -> Double {
        Summation.sum(widening: elements, count: count)
    }
}
