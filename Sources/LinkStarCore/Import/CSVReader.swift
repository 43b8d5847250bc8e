import Foundation

/// Where the bytes of a CSV come from.
public protocol ByteSource: AnyObject {
    /// Fills `buffer` from the start; returns the number of bytes read, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes already in memory (API batches, tests).
public final class MemoryByteSource: ByteSource {
    private let data: [UInt8]
    private var offset = 0

    /// All its bytes, whatever has been read.
    public var bytes: [UInt8] { data }

    public init(_ text: String) { data = Array(text.utf8) }
    public init(_ bytes: [UInt8]) { data = bytes }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, data.count - offset)
        guard count > 0 else { return 0 }
        data.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

/// One CSV record: fields as byte ranges over memory owned by the reader.
/// Valid until the reader's next call: copy what you keep.
public struct CSVRecord {
    public internal(set) var base: UnsafePointer<UInt8>?
    public internal(set) var ranges: [Range<Int>] = []
    /// 1-based line number where the record starts.
    public internal(set) var line: Int = 0

    public init() {}

    public var count: Int { ranges.count }

    /// A field's bytes (empty when the record is shorter).
    @inline(__always)
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        guard index < ranges.count, let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        let range = ranges[index]
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// A field's text (empty when the record is shorter).
    public func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// All fields as text.
    public var strings: [String] { (0..<count).map(string) }

    /// True when every field is empty or blank.
    public var isBlank: Bool {
        (0..<count).allSatisfy { field($0).allSatisfy { $0 == 0x20 || $0 == 0x09 } }
    }
}

/// A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, embedded newlines, CRLF, LF or CR-only line ends,
/// a UTF-8 BOM, unquoted fields trimmed. Reads the source in 1 MiB chunks; unquoted records are handed out without copying.
/// Memory is bounded: a record longer than `maxRecordBytes` or with more than `InputLimits.maxFields` fields is an error
/// at its line, as is text after a closing quote (`"a"x`).
public final class CSVReader {
    public private(set) var delimiter: UInt8
    private let source: ByteSource
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0          // next unread byte
    private var end = 0            // bytes in the buffer
    private var eof = false
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    /// Reused for every row. Its accesses are not checked for exclusivity at run time (four checks a row were a twentieth
    /// of an import): it is private, and only this reader's own methods, never concurrently (the reader is not
    /// `Sendable`) and never through a closure, touch it.
    @exclusivity(unchecked) private var record = CSVRecord()
    private let observe: ((UnsafeRawBufferPointer) -> Void)?
    private var nextLine = 1
    private var sniffed = false
    private let commentPrefix: UInt8?
    /// The line terminator: LF (also ending CRLF lines), or CR for files with classic Mac line ends.
    public private(set) var newline = UInt8(ascii: "\n")
    private var newlineChecked = false
    private let maxRecordBytes: Int
    private let name: String
    /// Bytes read from the source so far.
    public private(set) var bytesRead = 0
    /// Lines consumed so far.
    public var linesRead: Int { nextLine - 1 }

    /// `delimiter` nil: guessed from the first line that is not a comment (comma, tab or semicolon).
    /// `observe` sees every chunk as it is read (to hash the file while streaming it).
    public init(source: ByteSource, delimiter: UInt8? = nil, commentPrefix: String? = "#", chunkSize: Int = 1 << 20,
                maxRecordBytes: Int = InputLimits.maxRecordBytes, name: String = "input",
                observe: ((UnsafeRawBufferPointer) -> Void)? = nil) {
        self.source = source
        self.maxRecordBytes = max(maxRecordBytes, 16)
        self.name = name
        self.observe = observe
        self.delimiter = delimiter ?? UInt8(ascii: ",")
        self.sniffed = delimiter != nil
        self.commentPrefix = commentPrefix?.utf8.first
        capacity = max(16, min(chunkSize, self.maxRecordBytes))
        buffer = .allocate(capacity: capacity)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit {
        buffer.deallocate()
        scratch.deallocate()
    }


    /// Reads more bytes, keeping the unread tail at the front of the buffer.
    private func fill() throws -> Bool {
        if eof { return false }
        if start > 0 {
            let tail = end - start
            if tail > 0 { buffer.update(from: buffer + start, count: tail) }
            end = tail
            start = 0
        }
        if end == capacity {
            // A record larger than the buffer: grow, up to the record limit.
            guard capacity < maxRecordBytes else { throw tooLong() }
            let grown = min(capacity * 2, maxRecordBytes)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity = grown
        }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if count == 0 {
            eof = true
            return false
        }
        observe?(UnsafeRawBufferPointer(start: buffer + end, count: count))
        if bytesRead == 0, count >= 3, buffer[end] == 0xEF, buffer[end + 1] == 0xBB, buffer[end + 2] == 0xBF {
            start += 3
        }
        bytesRead += count
        end += count
        return true
    }

    private func fail(_ line: Int, _ message: Message) -> LinkStarError {
        LinkStarError(.invalid, "\(name):\(line): \(message)", details: [.init(file: name, line: line, message: message)])
    }

    private func tooLong() -> LinkStarError {
        let limit = maxRecordBytes >= 1 << 20 ? "\(maxRecordBytes >> 20) MiB" : "\(maxRecordBytes) bytes"
        return fail(nextLine, "a line (or quoted field) longer than \(limit); is this a CSV file?")
    }

    /// CR-only files (no LF in the first 64 KiB, or the whole file if shorter, but a CR) use CR as the line terminator.
    private func detectNewline() throws {
        newlineChecked = true
        let limit = min(1 << 16, maxRecordBytes)
        var scanned = start
        while true {
            while scanned < end {
                if buffer[scanned] == UInt8(ascii: "\n") { return }
                scanned += 1
            }
            if end - start >= limit { break }
            let before = start
            if try !fill() { break }
            scanned -= before - start
        }
        for index in start..<end where buffer[index] == UInt8(ascii: "\r") {
            newline = UInt8(ascii: "\r")
            return
        }
    }

    private func sniffDelimiter() throws {
        sniffed = true
        while true {
            // Look at the first non-comment, non-empty line.
            var lineStart = start
            var index = start
            while index < end {
                if buffer[index] == newline {
                    if index > lineStart, buffer[lineStart] != commentPrefix, !(index == lineStart + 1 && buffer[lineStart] == 13) {
                        let line = String(decoding: UnsafeBufferPointer(start: buffer + lineStart, count: index - lineStart), as: UTF8.self)
                        delimiter = CSVTokenizer.guessDelimiter(headerLine: line)
                        return
                    }
                    lineStart = index + 1
                }
                index += 1
            }
            if try !fill() {
                if end > lineStart {
                    delimiter = CSVTokenizer.guessDelimiter(headerLine: String(decoding: UnsafeBufferPointer(start: buffer + lineStart, count: end - lineStart), as: UTF8.self))
                }
                return
            }
        }
    }

    /// The next record, or nil at the end. The record's memory is valid until the next call.
    public func next() throws -> CSVRecord? {
        if !newlineChecked {
            if end == start { _ = try fill() }
            try detectNewline()
        }
        if !sniffed {
            if end == start { _ = try fill() }
            try sniffDelimiter()
        }
        while true {
            if let record = try parseRecord() { return record }
            if try !fill() {
                // Last record without a trailing newline.
                if start < end { return try parseRecord(final: true) }
                return nil
            }
        }
    }

    /// `byte` in each of a word's eight bytes.
    @inline(__always)
    static func repeated(_ byte: UInt8) -> UInt64 { UInt64(byte) &* 0x0101_0101_0101_0101 }

    /// The high bit of each zero byte of `word`, exact for the lowest one (a borrow can only mark bytes above a zero
    /// byte), so `trailingZeroBitCount / 8` of a nonzero result is the index of the first zero byte.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 }

    /// Parses one record from the buffer; nil when it is incomplete (needs more bytes).
    private func parseRecord(final: Bool = false) throws -> CSVRecord? {
        let quote = UInt8(ascii: "\""), lf = newline, cr = UInt8(ascii: "\r")
        let maxFields = InputLimits.maxFields
        let delimiter = self.delimiter
        let buffer = self.buffer
        var ranges: [Range<Int>] = []
        swap(&ranges, &record.ranges)
        ranges.removeAll(keepingCapacity: true)
        // Fast path: a line with no quote.
        var index = start
        var fieldStart = start
        var sawQuote = false
        let delimiters = Self.repeated(delimiter), lineEnds = Self.repeated(lf), quotes = Self.repeated(quote)
        while index < end {
            // Eight bytes at a time to the next delimiter, line end or quote.
            while index + 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(buffer + index).loadUnaligned(as: UInt64.self))
                let found = Self.zeroBytes(word ^ delimiters) | Self.zeroBytes(word ^ lineEnds) | Self.zeroBytes(word ^ quotes)
                if found != 0 {
                    index += found.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
            guard index < end else { break }
            let byte = buffer[index]
            if byte == lf { break }
            if byte == quote { sawQuote = true; break }
            if byte == delimiter {
                ranges.append(Self.trimmed(buffer, fieldStart, index, base: start))
                fieldStart = index + 1
                if ranges.count >= maxFields { throw fail(nextLine, "more than \(maxFields) fields in one row") }
            }
            index += 1
        }
        if !sawQuote {
            guard index < end || final else {
                record.ranges = ranges
                return nil
            }
            var lineEnd = index
            if lf != cr, lineEnd > start, buffer[lineEnd - 1] == cr { lineEnd -= 1 }
            ranges.append(Self.trimmed(buffer, fieldStart, max(fieldStart, lineEnd), base: start))
            record.base = UnsafePointer(buffer + start)
            record.ranges = ranges
            record.line = nextLine
            nextLine += 1
            start = min(end, index + 1)
            return record
        }
        // Slow path: decode quoted fields into the scratch buffer.
        ranges.removeAll(keepingCapacity: true)
        var out = 0
        var lines = 0
        index = start
        var fieldOut = 0
        var inQuotes = false
        var quoted = false
        var afterQuote = false
        func put(_ byte: UInt8) {
            if out == scratchCapacity {
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity * 2)
                bigger.update(from: scratch, count: out)
                scratch.deallocate()
                scratch = bigger
                scratchCapacity *= 2
            }
            scratch[out] = byte
            out += 1
        }
        func endField() {
            if quoted {
                ranges.append(fieldOut..<out)
            } else {
                var a = fieldOut, b = out
                while a < b, scratch[a] == 0x20 || scratch[a] == 0x09 { a += 1 }
                while b > a, scratch[b - 1] == 0x20 || scratch[b - 1] == 0x09 || scratch[b - 1] == cr { b -= 1 }
                ranges.append(a..<b)
            }
            fieldOut = out
            quoted = false
            afterQuote = false
        }
        while index < end {
            let byte = buffer[index]
            index += 1
            if inQuotes {
                if byte == quote {
                    inQuotes = false
                    afterQuote = true
                } else {
                    if byte == lf { lines += 1 }
                    put(byte)
                }
                continue
            }
            if afterQuote && byte == quote {
                put(quote)
                inQuotes = true
                afterQuote = false
                continue
            }
            if afterQuote && byte != delimiter && byte != lf && byte != cr && byte != 0x20 && byte != 0x09 {
                throw fail(nextLine + lines, "text after a closing quote (write \"\" inside a quoted field for a quote)")
            }
            if byte == delimiter {
                endField()
                if ranges.count >= maxFields { throw fail(nextLine, "more than \(maxFields) fields in one row") }
            } else if byte == lf {
                endField()
                record.base = UnsafePointer(scratch)
                record.ranges = ranges
                record.line = nextLine
                nextLine += 1 + lines
                start = index
                return record
            } else if byte == quote && !quoted && (fieldOut..<out).allSatisfy({ scratch[$0] == 0x20 || scratch[$0] == 0x09 }) {
                // A quoted field, possibly after spaces (", \"c,d\"").
                out = fieldOut
                inQuotes = true
                quoted = true
            } else if afterQuote && (byte == 0x20 || byte == 0x09 || byte == cr) {
                continue
            } else {
                put(byte)
            }
        }
        guard final else {
            record.ranges = ranges
            return nil
        }
        if inQuotes { throw fail(nextLine, "a quoted field is never closed") }
        endField()
        record.base = UnsafePointer(scratch)
        record.ranges = ranges
        record.line = nextLine
        nextLine += 1 + lines
        start = end
        return record
    }

    @inline(__always)
    private static func trimmed(_ buffer: UnsafeMutablePointer<UInt8>, _ a: Int, _ b: Int, base: Int) -> Range<Int> {
        var a = a, b = b
        while a < b, buffer[a] == 0x20 || buffer[a] == 0x09 { a += 1 }
        while b > a, buffer[b - 1] == 0x20 || buffer[b - 1] == 0x09 { b -= 1 }
        return (a - base)..<(b - base)
    }
}

/// Helpers for whole-text CSV (tests, small inputs) and delimiter guessing.
public enum CSVTokenizer {
    /// Parses a whole string into rows of fields.
    public static func parse(_ text: String, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 1 << 20) throws -> [[String]] {
        let reader = CSVReader(source: MemoryByteSource(text), delimiter: delimiter, commentPrefix: nil, chunkSize: chunkSize)
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append(record.strings) }
        return rows
    }

    /// Guesses the delimiter from a header line: tab, semicolon or comma, whichever occurs most.
    public static func guessDelimiter(headerLine: String) -> UInt8 {
        let counts: [(UInt8, Int)] = [(UInt8(ascii: ","), headerLine.filter { $0 == "," }.count),
                                      (UInt8(ascii: "\t"), headerLine.filter { $0 == "\t" }.count),
                                      (UInt8(ascii: ";"), headerLine.filter { $0 == ";" }.count)]
        return counts.max { $0.1 < $1.1 }.map { $0.1 > 0 ? $0.0 : UInt8(ascii: ",") } ?? UInt8(ascii: ",")
    }
}

/// Writing CSV fields.
public enum CSVField {
    /// The field, quoted when it holds a comma, a quote or a line break.
    /// Scalars are tested, not Characters: `"\r\n"` is one Character and once slipped through unquoted.
    /// Leading or trailing blanks are quoted too, so the reader's trimming keeps them.
    public static func quote(_ field: String) -> String {
        let scalars = field.unicodeScalars
        let needs = scalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" || $0 == "\t" })
            || scalars.first == " " || scalars.last == " "
        return needs ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
