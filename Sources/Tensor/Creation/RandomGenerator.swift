import Glibc
import Synchronization

/// A seeded source of random numbers for `rand`, `randn` and `randint`.
///
/// Numbers come from Philox4x32-10, a counter-based generator (Salmon et al., SC'11, the one
/// cuRAND and PyTorch's CUDA generator use), computed on the host: the same seed gives the
/// same tensors on every backend. Each call takes the next counters, so successive calls
/// differ and a re-seeded generator repeats them. The values differ from PyTorch's, whose CPU
/// generator is a Mersenne Twister.
public final class RandomGenerator: Sendable {
    /// The generator `rand`, `randn` and `randint` use when none is given (`torch.manual_seed` seeds it).
    public static let `default` = RandomGenerator(seed: 0)

    private let state: Mutex<(key: UInt64, counter: UInt64)>

    public init(seed: UInt64) { state = Mutex((seed, 0)) }

    /// Restarts the sequence from `seed` (`torch.manual_seed`).
    public func seed(_ seed: UInt64) { state.withLock { $0 = (seed, 0) } }

    /// The next `count` 32-bit random words.
    func words(_ count: Int) -> [UInt32] {
        let blocks = (count + 3) / 4
        let (key, first) = state.withLock { state in
            defer { state.counter &+= UInt64(blocks) }
            return (state.key, state.counter)
        }
        var words = [UInt32]()
        words.reserveCapacity(blocks * 4)
        for block in 0..<UInt64(blocks) {
            let output = Philox.block(counter: first &+ block, key: key)
            words.append(contentsOf: [output.0, output.1, output.2, output.3])
        }
        return Array(words.prefix(count))
    }

    /// `count` values uniform in [0, 1), each a multiple of 2^-`bits` (`bits` ≤ 53).
    ///
    /// `bits` is the significand of the dtype the values are for (24 for float32, 11 for
    /// float16, 8 for bfloat16, 53 for float64), as PyTorch draws them: then every value is
    /// exact in that dtype. More bits would let values just below 1 round up to 1.0 when
    /// converted (a bfloat16 value above 1 - 2^-9 does), which [0, 1) excludes.
    func uniform(_ count: Int, bits: Int) -> [Double] {
        precondition((1...53).contains(bits), "uniform takes 1 to 53 bits, got \(bits)")
        let scale = Double(sign: .plus, exponent: -bits, significand: 1)
        if bits > 32 {
            let words = words(count * 2)
            return (0..<count).map { index in
                let word = UInt64(words[2 * index]) << 32 | UInt64(words[2 * index + 1])
                return Double(word >> (64 - bits)) * scale
            }
        }
        return words(count).map { Double($0 >> (32 - bits)) * scale }
    }

    /// `count` standard normal values (Box–Muller on pairs of uniforms).
    func normal(_ count: Int) -> [Double] {
        let uniforms = uniform(count + count % 2, bits: 53)
        var values = [Double]()
        values.reserveCapacity(count + 1)
        for pair in stride(from: 0, to: uniforms.count, by: 2) {
            let radius = (-2 * log(1 - uniforms[pair])).squareRoot()
            let angle = 2 * Double.pi * uniforms[pair + 1]
            values.append(radius * cos(angle))
            values.append(radius * sin(angle))
        }
        return Array(values.prefix(count))
    }

    /// `count` integers uniform in `low..<high` (multiply-shift on 64 random bits).
    func integers(_ count: Int, low: Int64, high: Int64) -> [Int64] {
        let span = UInt64(bitPattern: high &- low)
        let bits = words(count * 2)
        return (0..<count).map { index in
            let word = UInt64(bits[2 * index]) << 32 | UInt64(bits[2 * index + 1])
            return low &+ Int64(bitPattern: word.multipliedFullWidth(by: span).high)
        }
    }
}

/// The Philox4x32-10 block function.
enum Philox {
    static func block(counter: UInt64, key: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        var x = (UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32), UInt32(0), UInt32(0))
        var k = (UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32))
        for _ in 0..<10 {
            let product0 = UInt64(0xD251_1F53) * UInt64(x.0)
            let product1 = UInt64(0xCD9E_8D57) * UInt64(x.2)
            x = (UInt32(truncatingIfNeeded: product1 >> 32) ^ x.1 ^ k.0, UInt32(truncatingIfNeeded: product1),
                 UInt32(truncatingIfNeeded: product0 >> 32) ^ x.3 ^ k.1, UInt32(truncatingIfNeeded: product0))
            k = (k.0 &+ 0x9E37_79B9, k.1 &+ 0xBB67_AE85)
        }
        return x
    }
}
