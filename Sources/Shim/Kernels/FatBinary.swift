/// What DeviceShim reads of a fat binary that nvcc's host code registers: the wrapper
/// (`__fatBinC_Wrapper_t`: magic, version, data, filename) and the size of the fat binary it
/// points to. The device code itself is not used yet.
public struct FatBinary: Sendable, Hashable, CustomStringConvertible {
    /// `__fatBinC_Wrapper_t.magic` for a fat binary nvcc embeds in host code.
    public static let wrapperMagic: UInt32 = 0x4662_43B1
    /// The magic of the fat binary header that the wrapper's `data` points to.
    public static let headerMagic: UInt32 = 0xBA55_ED50

    /// Address of the wrapper the host program passed.
    public var wrapperAddress: UInt
    /// The wrapper's magic; `wrapperMagic` unless the pointer is not a fat binary wrapper.
    public var magic: UInt32?
    /// The wrapper's version: 1 for whole-program code, 2 for separately linked device code.
    public var version: UInt32?
    /// Size of the fat binary (header included) when its header was recognized.
    public var byteCount: Int?

    /// Reads the wrapper at `wrapper` and the header it points to. NULL gives an empty value.
    /// A wrapper is read as NVIDIA's runtime reads it: the pointer is trusted to be what
    /// nvcc put in the host program.
    public init(wrapper: UnsafeRawPointer?) {
        wrapperAddress = UInt(bitPattern: wrapper)
        guard let wrapper else { return }
        let magic = wrapper.loadUnaligned(as: UInt32.self)
        self.magic = magic
        guard magic == Self.wrapperMagic else { return }
        version = wrapper.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        guard let data = wrapper.loadUnaligned(fromByteOffset: 8, as: UnsafeRawPointer?.self),
              data.loadUnaligned(as: UInt32.self) == Self.headerMagic else { return }
        let headerSize = data.loadUnaligned(fromByteOffset: 6, as: UInt16.self)
        let fatSize = data.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        byteCount = Int(headerSize) + Int(truncatingIfNeeded: fatSize)
    }

    /// Whether the pointer held a fat binary wrapper.
    public var isRecognized: Bool { magic == Self.wrapperMagic }

    /// "fat binary wrapper v1 at 0x…, 1040 bytes of device code", or why it is not one.
    public var description: String {
        let address = hexAddress(wrapperAddress)
        guard let magic else { return "no fat binary (NULL)" }
        guard isRecognized else {
            return "not a fat binary wrapper at \(address) (magic \(hexAddress(UInt(magic))), expected \(hexAddress(UInt(Self.wrapperMagic))))"
        }
        let size = byteCount.map { "\($0) bytes of device code" } ?? "fat binary header not recognized"
        return "fat binary wrapper v\(version ?? 0) at \(address), \(size)"
    }
}

/// `0x7f12…` for an address; `0x0` for NULL.
func hexAddress(_ address: UInt) -> String {
    "0x" + String(address, radix: 16)
}
