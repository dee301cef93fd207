#version 460
// Argsort's middle: a bitonic sorting network over the pairs of sort.glsl, every lane at
// once. Lanes are P = 2^k slots, one after another, so the network over the whole scratch
// with blocks of at most P slots sorts each lane on its own. Step (block 2^b, distance 2^d)
// compares each slot s whose bit d is 0 with slot s + 2^d and puts the pair that sorts
// first in the lower slot where bit b of s's place in its lane is 0, in the higher slot
// where it is 1. Blocks 2, 4, …, P, each with distances block/2, …, 1, sort every lane
// ascending (in the last blocks, whole lanes, that bit is 0 for every lane alike).
//
// MODE 0 (global): one step, an invocation per compare-exchange, straight in the scratch.
// MODE 1 (tile): a workgroup per tile of 2 · GROUP_SIZE slots loads it into shared memory
// and runs, for each block from 2^blockLog2 to 2^lastBlockLog2, the steps of distances
// within the tile (from min(block, tile)/2 down to 1), a barrier after each, then stores it.
// The host runs the steps of longer distances globally between tiled dispatches: a lane of
// 2^17 slots takes 45 dispatches instead of 153.
#include "common.glsl"

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint GROUP_SIZE = 256;  // a power of two
layout(constant_id = 1) const int MODE = 0;
layout(constant_id = 2) const int KEY_WORDS = 1;

#include "sort.glsl"

layout(push_constant) uniform Operands {
    uvec2 pairsAddress;
    uint slotCount;       // lanes · P
    uint slotsLog2;       // log2 P
    uint blockLog2;       // the step's block (MODE 0) or the first block (MODE 1)
    uint lastBlockLog2;   // MODE 1: the last block
    uint distanceLog2;    // MODE 0: the step's distance
} p;

const uint TILE = 2u * GROUP_SIZE;
shared uvec2 tileKeys[TILE];
shared uint tilePositions[TILE];

// The lower slot of compare-exchange `t` at distance 2^d: t with a 0 bit inserted at bit d.
uint lowerSlot(uint t, uint d) { return ((t >> d) << (d + 1u)) | (t & ((1u << d) - 1u)); }

// The order of a compare-exchange in blocks of 2^b slots: ascending where bit b of the lower
// slot's place in its lane is 0.
bool ascending(uint lower, uint b) { return (((lower & ((1u << p.slotsLog2) - 1u)) >> b) & 1u) == 0u; }

void globalStep() {
    uint t = invocationIndex(GROUP_SIZE);
    if (t >= p.slotCount / 2u) return;
    uint lower = lowerSlot(t, p.distanceLog2), upper = lower + (1u << p.distanceLog2);
    Pair a = loadPair(p.pairsAddress, lower), b = loadPair(p.pairsAddress, upper);
    if (sortsBefore(b, a) == ascending(lower, p.blockLog2)) {
        storePair(p.pairsAddress, lower, b);
        storePair(p.pairsAddress, upper, a);
    }
}

Pair tilePair(uint i) { return Pair(tileKeys[i], tilePositions[i]); }

void setTilePair(uint i, Pair pair) {
    tileKeys[i] = pair.key;
    tilePositions[i] = pair.position;
}

void tiledSteps() {
    uint first = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * TILE;
    if (first >= p.slotCount) return;  // the whole workgroup: no barrier is left waiting
    uint local = gl_LocalInvocationID.x;
    // Where the last tile reaches past the scratch, it holds padding pairs there: whole
    // blocks of them (the scratch is whole lanes), sorted apart from the real ones and never
    // stored.
    for (uint i = local; i < TILE; i += GROUP_SIZE) {
        setTilePair(i, first + i < p.slotCount ? loadPair(p.pairsAddress, first + i) : Pair(PADDING_KEY, i));
    }
    barrier();
    uint tileLog2 = uint(findMSB(TILE));
    for (uint b = p.blockLog2; b <= p.lastBlockLog2; b++) {
        for (int d = int(min(b, tileLog2)) - 1; d >= 0; d--) {
            uint lower = lowerSlot(local, uint(d)), upper = lower + (1u << uint(d));
            Pair x = tilePair(lower), y = tilePair(upper);
            if (sortsBefore(y, x) == ascending(first + lower, b)) {
                setTilePair(lower, y);
                setTilePair(upper, x);
            }
            barrier();
        }
    }
    for (uint i = local; i < TILE && first + i < p.slotCount; i += GROUP_SIZE) {
        storePair(p.pairsAddress, first + i, tilePair(i));
    }
}

void main() {
    if (MODE == 0) globalStep();
    else tiledSteps();
}
