/// The bytes of one log line being rendered. Renderers append straight into it (no
/// intermediate Strings, each append a bounds check and a copy), and sinks hand its bytes
/// to a single `write`. Non-copyable: it owns its memory and is moved, never shared.
struct LineBuffer: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 512) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        body(UnsafeBufferPointer(start: storage, count: count))
    }

    mutating func append(bytes source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        reserve(source.count)
        (storage + count).update(from: base, count: source.count)
        count += source.count
    }

    mutating func append(byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let grown = max(capacity * 2, count + extra)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity = grown
    }

    /// Native Swift strings are contiguous UTF-8: copied in one `memcpy`, not byte by byte.
    mutating func append(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append(bytes: $0) }
        if copied == nil { for unit in text.utf8 { append(byte: unit) } }
    }

    /// A string literal's bytes (static text, such as a level's name).
    mutating func append(_ text: StaticString) {
        append(bytes: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Decimal digits of `value` (with a minus sign when negative).
    mutating func append<Integer: BinaryInteger>(decimal value: Integer) {
        if value < 0 { append(byte: UInt8(ascii: "-")) }
        appendDigits(of: UInt64(value.magnitude), radix: 10)
    }

    /// Lower-case hexadecimal digits of `value`, without a prefix.
    mutating func append(hexadecimal value: UInt) {
        appendDigits(of: UInt64(value), radix: 16)
    }

    /// `value / divisor` with `decimals` digits after the point, truncated: (1234567, 1000, 3) -> `1234.567`.
    mutating func append(_ value: UInt64, dividedBy divisor: UInt64, decimals: Int) {
        append(decimal: value / divisor)
        append(byte: UInt8(ascii: "."))
        var remainder = value % divisor
        var scale = divisor
        for _ in 0..<decimals {
            scale /= 10
            guard scale > 0 else { append(byte: UInt8(ascii: "0")); continue }
            append(byte: UInt8(ascii: "0") + UInt8(remainder / scale))
            remainder %= scale
        }
    }

    private mutating func appendDigits(of value: UInt64, radix: UInt64) {
        if value < radix {
            append(byte: LineBuffer.digits[Int(value)])
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var remaining = value
            var start = scratch.count
            while remaining > 0 {
                start -= 1
                scratch[start] = LineBuffer.digits[Int(remaining % radix)]
                remaining /= radix
            }
            append(bytes: UnsafeBufferPointer(rebasing: scratch[start...]))
        }
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string literal (RFC 8259 escapes), quotes included. Text with nothing
    /// to escape (the usual case) is copied whole.
    mutating func append(jsonString text: String) {
        append(byte: UInt8(ascii: "\""))
        let needsEscapes = text.utf8.withContiguousStorageIfAvailable { units in
            units.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        } ?? true
        if needsEscapes {
            appendEscaped(text)
        } else {
            append(text)
        }
        append(byte: UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ text: String) {
        for unit in text.utf8 {
            switch unit {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                append(byte: UInt8(ascii: "\\"))
                append(byte: unit)
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case ..<0x20:
                append("\\u00")
                append(byte: LineBuffer.digits[Int(unit >> 4)])
                append(byte: LineBuffer.digits[Int(unit & 0xf)])
            default: append(byte: unit)
            }
        }
    }
}

/// Writes one JSON object into the `LineBuffer` it owns, field by field.
struct JSONObjectWriter: ~Copyable {
    private(set) var buffer: LineBuffer
    private var needsComma = false

    init(into buffer: consuming LineBuffer = LineBuffer()) {
        self.buffer = buffer
        self.buffer.append(byte: UInt8(ascii: "{"))
    }

    /// Field names are DeviceShim's own ASCII identifiers: written without escaping.
    private mutating func key(_ name: String) {
        buffer.append(needsComma ? ",\"" : "\"")
        needsComma = true
        buffer.append(name)
        buffer.append("\":")
    }

    mutating func field(_ name: String, string value: String?) {
        key(name)
        if let value { buffer.append(jsonString: value) } else { buffer.append("null") }
    }

    /// A static string needing no escapes, such as a level's name.
    mutating func field(_ name: String, staticString value: StaticString) {
        key(name)
        buffer.append(byte: UInt8(ascii: "\""))
        buffer.append(value)
        buffer.append(byte: UInt8(ascii: "\""))
    }

    mutating func field<Number: BinaryInteger>(_ name: String, number value: Number?) {
        key(name)
        if let value { buffer.append(decimal: value) } else { buffer.append("null") }
    }

    /// Nanoseconds written as microseconds with three decimals, as Chrome traces want them.
    mutating func field(_ name: String, microsecondsFromNanoseconds value: UInt64) {
        key(name)
        buffer.append(value, dividedBy: 1000, decimals: 3)
    }

    /// A nested object whose fields `body` writes.
    mutating func object(_ name: String, _ body: (inout JSONObjectWriter) -> Void) {
        key(name)
        buffer.append(byte: UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        buffer.append(byte: UInt8(ascii: "}"))
        needsComma = true
    }

    /// Closes the object and hands back the buffer holding it.
    consuming func finished() -> LineBuffer {
        buffer.append(byte: UInt8(ascii: "}"))
        return buffer
    }
}
