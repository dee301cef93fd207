/// The launches of one OpenCL `argsort`'s bitonic network (`OpenCLSortSource`): lanes padded
/// to `paddedLength` slots (a power of two), sorted in blocks of `2 × groupSize` slots in
/// local memory first, then stage by stage, each stage's passes of long distance over all
/// slots and the rest in local memory again.
///
/// With `groupSize` G and a block of 2G slots: lanes up to 2G long sort in one launch (a
/// block then holds several lanes, each stage staying inside one); a lane of 2^m > 2G slots
/// needs, for each stage k from 4G to 2^m, log2(k / 2G) passes over all slots and one local
/// launch — 36 global and 9 local passes for a lane of 100,003 elements and G = 256.
struct BitonicSortPlan: Equatable {
    /// One launch of the network.
    enum Pass: Equatable {
        /// `argsort_local`: stages `firstStage` through `lastStage`, each from distance
        /// min(stage / 2, G) down to 1, in a work-group per block.
        case local(firstStage: Int, lastStage: Int)
        /// `argsort_global`: the pass of distance `distance` of stage `stage`, over all slots.
        case global(stage: Int, distance: Int)
    }

    /// Slots per lane: the lane's length rounded up to a power of two.
    let paddedLength: Int
    /// Work-items per group of a local pass; each holds two slots.
    let groupSize: Int
    /// Scratch slots: the lanes' slots, rounded up to whole blocks of 2G (the slots past the
    /// last lane are padding, sorted among themselves and never read back).
    let slots: Int
    let passes: [Pass]

    /// The plan for `lanes` lanes of `length` elements (both at least 1), with work-groups of
    /// at most `maxGroupSize` items (a power of two).
    init(length: Int, lanes: Int, maxGroupSize: Int) {
        var padded = 1
        while padded < length { padded *= 2 }
        paddedLength = padded
        guard padded > 1 else {
            (groupSize, slots, passes) = (1, lanes, [])
            return
        }
        var allSlots = 1
        while allSlots < lanes * padded { allSlots *= 2 }
        let block = min(2 * maxGroupSize, allSlots)
        groupSize = block / 2
        slots = (lanes * padded + block - 1) / block * block
        var passes: [Pass] = [.local(firstStage: 2, lastStage: min(padded, block))]
        var stage = 2 * block
        while stage <= padded {
            var distance = stage / 2
            while distance >= block {
                passes.append(.global(stage: stage, distance: distance))
                distance /= 2
            }
            passes.append(.local(firstStage: stage, lastStage: stage))
            stage *= 2
        }
        self.passes = passes
    }
}
