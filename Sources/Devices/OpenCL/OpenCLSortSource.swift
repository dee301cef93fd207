/// OpenCL C for `argsort` and `topk`: a bitonic sorting network over (key, position) pairs,
/// in two programs. `argsort_keys_<dtype>` turns a dtype's elements into keys (and selects a
/// small topk from them); `argsort_network` sorts the pairs and writes the positions out
/// (the first k of each lane for a larger topk), whatever the dtype.
///
/// The pairs live in two scratch arrays, `keys` (`ulong`) and `positions` (`uint`), each lane
/// of the axis padded to `P` slots (a power of two) and the lanes one after another. A key
/// orders as PyTorch compares, as the CPU's `SortKernels` do: float bits with negative values
/// complemented and the others with the sign bit set (every NaN the largest key, -0.0 made
/// 0.0), integers offset so the smallest is 0, bool bytes 0 or 1 (nonzero is true). Descending
/// order complements every key (`flip`), positions still ascending. Pairs compare by key,
/// then position: no two are equal, so the network's result is the one stable order.
/// Padding pairs have the largest key and the positions past the lane's length, so they
/// sort after every element of it.
///
/// The network runs stage `k` (2, 4, ..., P: sorted runs of k/2 become runs of k) as passes
/// of distance `j` (k/2 down to 1), every work-item exchanging one pair of slots so the
/// smaller pair lands first. The first pass of a stage pairs slot i of each run of k with
/// slot k - 1 - i (so no pass sorts downwards), the later ones pair i with i + j.
/// `argsort_local` runs the passes of distance below `2G` in local memory, a work-group of G
/// items per block of 2G slots; `argsort_global` runs one longer pass over all slots.
enum OpenCLSortSource {
    static func keysProgramName(_ dtype: DType) -> String {
        "argsort_keys_\(dtype)"
    }

    static let networkProgramName = "argsort_network"

    /// The largest k `topk_select` holds per lane.
    static let topkSelectionLimit = 16

    /// `argsort_load`: for each slot of the lanes of `Layout` (operand 1 the input's first
    /// element of each lane), from slot `first` on, the key and position of the lane's element
    /// there, or a padding pair past the lane (or past the last lane).
    ///
    /// `topk_select` (k up to `topkSelectionLimit`): a work-item per lane of `Layout` (operand
    /// 0 the output's first element of each lane, 1 the input's) reads its lane once, keeping
    /// the k pairs that sort first in order (an element goes in when its key is below the
    /// k-th's: positions rise as the lane is read, so an equal key sorts after), and writes
    /// their positions: the stable argsort's first k.
    static func keysSource(_ dtype: DType) -> String {
        OpenCLKernelSource.preamble(hasFloat64: false) + """
        typedef \(OpenCLSelectionSource.elementType(width: dtype.byteSize)) E;
        #define KEY(b) \(keyExpression(dtype))

        /* The key of a float's bits `b` (`width` bits, `infinity` the bits of +inf). */
        inline ulong ds_float_key(ulong b, int width, ulong infinity) {
            ulong sign = 1UL << (width - 1), all = sign | (sign - 1UL);
            ulong magnitude = b & (sign - 1UL);
            if (magnitude > infinity) return all;
            if (magnitude == 0UL) b = 0UL;
            return (b & sign) != 0UL ? (~b & all) : (b | sign);
        }

        __kernel void argsort_load(__global const E *in, __global ulong *keys, __global uint *positions, Layout L,
                                   long n, long stride, long P, long first, long slots, ulong flip) {
            for (long s = get_global_id(0); s < slots; s += get_global_size(0)) {
                long lane = s / P, p = s - lane * P;
                ulong key = ULONG_MAX;
                if (p < n && lane < L.count) {
                    long o[DS_OPERANDS]; ds_offsets(&L, lane, o);
                    key = KEY(in[o[1] + p * stride]) ^ flip;
                }
                keys[first + s] = key;
                positions[first + s] = (uint)p;
            }
        }

        __kernel void topk_select(__global const E *in, __global long *out, Layout L, long n, long inStride,
                                  long outStride, long k, ulong flip) {
            for (long lane = get_global_id(0); lane < L.count; lane += get_global_size(0)) {
                long o[DS_OPERANDS]; ds_offsets(&L, lane, o);
                ulong keys[\(topkSelectionLimit)];
                uint positions[\(topkSelectionLimit)];
                long held = 0;
                for (long p = 0; p < n; p++) {
                    ulong key = KEY(in[o[1] + p * inStride]) ^ flip;
                    if (held == k && key >= keys[held - 1]) continue;
                    /* The end while fewer than k are held, else the k-th (dropped); every held
                       pair with a larger key moves one down. */
                    long slot = held < k ? held++ : held - 1;
                    for (; slot > 0 && key < keys[slot - 1]; slot--) {
                        keys[slot] = keys[slot - 1];
                        positions[slot] = positions[slot - 1];
                    }
                    keys[slot] = key;
                    positions[slot] = (uint)p;
                }
                for (long j = 0; j < held; j++) out[o[0] + j * outStride] = (long)positions[j];
            }
        }

        """
    }

    /// The key of an element's bits `b` (of the storage type `E`) as OpenCL C.
    private static func keyExpression(_ dtype: DType) -> String {
        switch dtype {
        case .float32: "ds_float_key((ulong)(b), 32, 0x7F800000UL)"
        case .float64: "ds_float_key((ulong)(b), 64, 0x7FF0000000000000UL)"
        case .float16: "ds_float_key((ulong)(b), 16, 0x7C00UL)"
        case .bfloat16: "ds_float_key((ulong)(b), 16, 0x7F80UL)"
        case .int32: "((ulong)((uint)(b) ^ 0x80000000u))"
        case .int64: "((ulong)(b) ^ 0x8000000000000000UL)"
        case .uint8: "((ulong)(b))"
        case .bool: "((ulong)((b) != 0))"
        }
    }

    /// `argsort_local` (stages `firstStage` to `lastStage`, each from distance min(k/2, G)),
    /// `argsort_global` (one pass of distance `j` in stage `k` over `pairs` slot pairs) and
    /// `argsort_store` (the positions of each lane's first n slots into the int64 output,
    /// operand 0 of `Layout`, lanes from slot `first` on).
    static let networkSource = OpenCLKernelSource.preamble(hasFloat64: false) + """
    /* The slot a work-item's `t`-th pair starts at in a pass of distance j, and its partner. */
    inline long ds_pair_slot(long t, long j) { return ((t & ~(j - 1)) << 1) | (t & (j - 1)); }
    inline long ds_partner(long i, long k, long j) { return (j << 1) == k ? i ^ (k - 1) : i + j; }
    /* Whether pair (ka, pa) sorts after (kb, pb). */
    inline int ds_after(ulong ka, uint pa, ulong kb, uint pb) { return ka > kb || (ka == kb && pa > pb); }
    /* Puts slots i and l of (keys, positions) in order: a macro, as the arrays are in local
       memory in one kernel and global in the other, and OpenCL C 1.2 functions take one. */
    #define DS_ORDER(keys, positions, i, l) { ulong ki = keys[i], kl = keys[l]; uint pi = positions[i], pl = positions[l]; if (ds_after(ki, pi, kl, pl)) { keys[i] = kl; keys[l] = ki; positions[i] = pl; positions[l] = pi; } }

    __kernel void argsort_local(__global ulong *keys, __global uint *positions, long firstStage, long lastStage,
                                __local ulong *localKeys, __local uint *localPositions) {
        long items = get_local_size(0), t = get_local_id(0), base = get_group_id(0) * 2 * items;
        localKeys[t] = keys[base + t]; localKeys[t + items] = keys[base + t + items];
        localPositions[t] = positions[base + t]; localPositions[t + items] = positions[base + t + items];
        barrier(CLK_LOCAL_MEM_FENCE);
        for (long k = firstStage; k <= lastStage; k <<= 1) {
            for (long j = min(k >> 1, items); j > 0; j >>= 1) {
                long i = ds_pair_slot(t, j), l = ds_partner(i, k, j);
                DS_ORDER(localKeys, localPositions, i, l)
                barrier(CLK_LOCAL_MEM_FENCE);
            }
        }
        keys[base + t] = localKeys[t]; keys[base + t + items] = localKeys[t + items];
        positions[base + t] = localPositions[t]; positions[base + t + items] = localPositions[t + items];
    }

    __kernel void argsort_global(__global ulong *keys, __global uint *positions, long pairs, long k, long j) {
        for (long t = get_global_id(0); t < pairs; t += get_global_size(0)) {
            long i = ds_pair_slot(t, j), l = ds_partner(i, k, j);
            DS_ORDER(keys, positions, i, l)
        }
    }

    __kernel void argsort_store(__global long *out, __global const uint *positions, Layout L, long n, long stride,
                                long P, long first) {
        for (long e = get_global_id(0); e < L.count * n; e += get_global_size(0)) {
            long lane = e / n, slot = e - lane * n;
            long o[DS_OPERANDS]; ds_offsets(&L, lane, o);
            out[o[0] + slot * stride] = (long)positions[first + lane * P + slot];
        }
    }

    """
}
