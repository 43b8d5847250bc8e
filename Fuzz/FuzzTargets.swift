import Foundation
import LinkStarCore
import LinkStarFormats

/// The inputs a fuzzer feeds to LinkStar's parsers. Each must end in a value or a `LinkStarError`, never a trap.
enum FuzzTargets {
    /// `csv` (the streaming reader, small chunks, a small record limit), `playbook` (the playbook parser), `cells`
    /// (number, date and period parsers), from `LINKSTAR_FUZZ_TARGET`; default `csv`.
    static let target = ProcessInfo.processInfo.environment["LINKSTAR_FUZZ_TARGET"] ?? "csv"

    static func run(_ bytes: UnsafeRawBufferPointer) {
        switch target {
        case "playbook": playbook(bytes)
        case "cells": cells(bytes)
        default: csv(bytes)
        }
    }

    static func csv(_ bytes: UnsafeRawBufferPointer) {
        let chunk = bytes.first.map { [16, 17, 64, 4096][Int($0) % 4] } ?? 16
        let reader = CSVReader(source: MemoryByteSource(Array(bytes)), delimiter: nil, commentPrefix: "#", chunkSize: chunk,
                               maxRecordBytes: 1024, name: "fuzz.csv")
        do {
            while let record = try reader.next() {
                precondition(record.count <= InputLimits.maxFields)
                for index in 0..<record.count {
                    let text = record.string(index)
                    _ = NumberCellParser.parse(text)
                    _ = DateCellParser.parse(text, format: .auto)
                }
            }
        } catch is LinkStarError {
        } catch {
            fatalError("unexpected error \(error)")
        }
    }

    static func playbook(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let document = try PlaybookParser.parse(text, file: "fuzz.md")
            precondition(!document.checklist.isEmpty)
            precondition(document.checklist.allSatisfy { !$0.text.isEmpty && $0.text.count <= InputLimits.maxChecklistItem })
            _ = document.html()
        } catch is LinkStarError {
        } catch {
            fatalError("unexpected error \(error)")
        }
    }

    static func cells(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        if case .value(let value, _, _) = NumberCellParser.parse(text) { precondition(value.isFinite) }
        for format in DateFormat.allCases {
            if case .success(let day) = DateCellParser.parse(text, format: format) { precondition(Day.supported.contains(day)) }
        }
        _ = try? Day(parsing: text)
        _ = try? PeriodSpec.parse(text, today: Day.lastSupported)
        _ = try? NumberInput.parse(text, field: "value")
        _ = try? Segment(parsing: text)
        for cadence in ReviewCadence.allCases { _ = try? ReviewSchedule(cadence: cadence).period(named: text) }
    }
}

#if FUZZING
// Built with -sanitize=fuzzer (Fuzz/run.sh). SwiftPM renames an executable's entry point to `LinkStarFuzz_main` and
// aliases `main` to it, so libFuzzer's own `main` is never linked: this entry point hands control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// libFuzzer's callback, for whichever `main` the linker keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_cdecl("LinkStarFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        FuzzTargets.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
/// Without libFuzzer: replays files (a corpus or a crash) through the same target.
@main
struct FuzzReplay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.withUnsafeBytes { FuzzTargets.run($0) }
        }
    }
}
#endif
