import Crypto
import Foundation
import LinkStarCore

/// Seals short secrets (webhook URLs, signing secrets) with AES-256-GCM, as Base64 of nonce + ciphertext + tag.
public enum SecretBox {
    /// Bytes of a key.
    public static let keySize = 32

    /// A new random key.
    public static func newKey() -> Data { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } }

    public static func seal(_ text: String, key: Data) throws -> String {
        guard key.count == keySize, let combined = try AES.GCM.seal(Data(text.utf8), using: SymmetricKey(data: key)).combined else {
            throw LinkStarError(.invalid, "the notification key is not usable")
        }
        return combined.base64EncodedString()
    }

    /// The text, or an error when the key is not the one it was sealed with (or the box was altered).
    public static func open(_ sealed: String, key: Data) throws -> String {
        guard key.count == keySize, let data = Data(base64Encoded: sealed),
              let box = try? AES.GCM.SealedBox(combined: data), let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key)) else {
            throw LinkStarError(.invalid, "a channel's address cannot be read with this workspace's notification key (was the key file replaced?)")
        }
        return String(decoding: plain, as: UTF8.self)
    }
}
