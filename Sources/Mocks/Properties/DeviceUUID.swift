/// The 16-byte UUID DeviceShim reports for a device (`cudaDeviceProp.uuid`): no backend
/// reports one that reaches DeviceShim, so it is derived from the device's backend, index
/// and name. The same device gets the same UUID in every run; different devices differ.
enum DeviceUUID {
    /// Two 64-bit FNV-1a hashes of "backend:index:name" (different offset bases), with the
    /// version (8, "custom") and variant (RFC 9562) bits of a UUID set.
    static func derived(for id: DeviceID, name: String) -> [UInt8] {
        let key = Array("\(id.backend):\(id.index):\(name)".utf8)
        var bytes = withUnsafeBytes(of: fnv1a(key, basis: 0xCBF2_9CE4_8422_2325).bigEndian, Array.init)
            + withUnsafeBytes(of: fnv1a(key, basis: 0x6C62_272E_07BB_0142).bigEndian, Array.init)
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return bytes
    }

    private static func fnv1a(_ bytes: [UInt8], basis: UInt64) -> UInt64 {
        bytes.reduce(basis) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }

    /// The form CUDA prints (`GPU-` then 8-4-4-4-12 hex digits), as `nvidia-smi -L` shows it.
    static func formatted(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { byte in String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16) }
        let groups = [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }
        return "GPU-" + groups.joined(separator: "-")
    }
}
