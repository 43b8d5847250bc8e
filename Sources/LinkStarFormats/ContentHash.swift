import Crypto
import Foundation
import LinkStarCore

/// SHA-256 of text, as lowercase hex (playbook versions, API tokens).
public enum ContentHash {
    public static func sha256Hex(_ text: String) -> String {
        var text = text
        let digest = text.withUTF8 { bytes in SHA256.hash(data: UnsafeRawBufferPointer(bytes)) }
        return digest.withUnsafeBytes { Hex.lowercase($0) }
    }

    /// SHA-256 of bytes, as lowercase hex: what `ContentHasher` gives for the same bytes streamed.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { SHA256.hash(data: $0) }.withUnsafeBytes { Hex.lowercase($0) }
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
