import Crypto
import Foundation
import LinkStarCore

/// SHA-256 of text, as lowercase hex (playbook versions, API tokens).
public enum ContentHash {
    public static func sha256Hex(_ text: String) -> String {
        var text = text
        return text.withUTF8 { sha256Hex(UnsafeRawBufferPointer($0)) }
    }

    /// SHA-256 of bytes, as lowercase hex: what `ContentHasher` gives for the same bytes streamed.
    public static func sha256Hex(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { sha256Hex($0) } }

    private static func sha256Hex(_ bytes: UnsafeRawBufferPointer) -> String {
        SHA256.hash(data: bytes).withUnsafeBytes { Hex.lowercase($0) }
    }
}

/// Incremental SHA-256 over streamed bytes (import files are hashed as they are read).
public struct ContentHasher {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    /// The hex digest.
    public func finish() -> String { hasher.finalize().withUnsafeBytes { Hex.lowercase($0) } }
}
