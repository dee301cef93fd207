// Shared by the argsort shaders (sort_lanes.comp, sort_network.comp) and topk.comp: the
// (key, position) pairs a lane is sorted in, in a scratch buffer. A lane of n elements takes
// the next power of two of slots, P, lane after lane; slot i of a lane holds the key of the
// lane's element i and i itself, or for i >= n a padding pair (the largest key) that sorts
// after every element. Pairs order by key, then position: no two are equal, so the sort is stable.
//
// Keys are unsigned integers that order as PyTorch compares the elements (see
// sort_keys.glsl). KEY_WORDS 1: a 32-bit key, the pair a uvec2 (key, position); KEY_WORDS
// 2 (int64, float64): a 64-bit key as (high word, low word), the pair a uvec4 (key high, key
// low, position, unused). All of it is 32-bit arithmetic: no shader of these needs Int64.

layout(buffer_reference, std430, buffer_reference_align = 16) buffer Words4Ref { uvec4 v[]; };

// `key.x` is the high word (always 0 for 32-bit keys), `key.y` the low word.
struct Pair { uvec2 key; uint position; };

const uvec2 PADDING_KEY = uvec2(0xFFFFFFFFu);

Pair loadPair(uvec2 pairs, uint slot) {
    if (KEY_WORDS == 1) {
        uvec2 words = Words2Ref(pairs).v[slot];
        return Pair(uvec2(0u, words.x), words.y);
    }
    uvec4 words = Words4Ref(pairs).v[slot];
    return Pair(words.xy, words.z);
}

void storePair(uvec2 pairs, uint slot, Pair pair) {
    if (KEY_WORDS == 1) Words2Ref(pairs).v[slot] = uvec2(pair.key.y, pair.position);
    else Words4Ref(pairs).v[slot] = uvec4(pair.key, pair.position, 0u);
}

// Whether `a` sorts before `b`: by key, then by position.
bool sortsBefore(Pair a, Pair b) {
    if (a.key.x != b.key.x) return a.key.x < b.key.x;
    if (a.key.y != b.key.y) return a.key.y < b.key.y;
    return a.position < b.position;
}
