/// Lowercase hexadecimal text of bytes (digests, tokens, signatures).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `[0x0f, 0xa0]` → `"0fa0"`. A table lookup per byte: `String(format: "%02x")` per byte was an eighth of
    /// the API server's time (every request hashes its bearer token).
    public static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Array(bytes).withUnsafeBytes { lowercase($0) }
    }

    /// The same for bytes in memory (a digest), written straight into the string's storage.
    public static func lowercase(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (index, byte) in bytes.enumerated() {
                text[2 * index] = digits[Int(byte >> 4)]
                text[2 * index + 1] = digits[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }
}
