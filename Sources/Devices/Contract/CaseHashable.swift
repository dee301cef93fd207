/// An enum of plain cases whose `String` raw values are the names logs and policies spell,
/// hashed and compared by case instead of by string.
///
/// For an enum with raw values, Swift's default `==` and `hash(into:)` are
/// `RawRepresentable`'s, which compare and hash the raw string; the redirector looks every
/// tensor op up by (request kind, op, dtype), so each op hashed three or four strings. A plain-case enum is
/// stored as its case's number in declaration order (one byte below 256 cases, none for a
/// single case), and that number is what these compare and hash.
public protocol CaseHashable: Hashable, RawRepresentable where RawValue == String {}

extension CaseHashable {
    /// The case's number in declaration order.
    @inlinable var caseNumber: UInt8 { withUnsafeBytes(of: self) { $0.isEmpty ? 0 : $0[0] } }

    @inlinable public static func == (lhs: Self, rhs: Self) -> Bool { lhs.caseNumber == rhs.caseNumber }

    @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(caseNumber) }
}
