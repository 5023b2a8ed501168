import Foundation
import Testing

/// Runs the built `schemasync` executable as a user would, and collects what it prints.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CommandRunner {
    /// The executable beside the test bundle (SwiftPM builds it: the test target depends on it).
    static var executable: URL {
        get throws {
            var folder = Bundle.main.bundleURL
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("schemasync")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                folder = folder.deletingLastPathComponent()
            }
            for bundle in Bundle.allBundles {
                let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("schemasync")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            throw CommandError(
                description: "the schemasync executable was not found beside \(Bundle.main.bundleURL.path)")
        }
    }

    /// Runs `schemasync arguments…` with `environment` added, for at most `timeout` seconds.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60) throws
        -> CommandResult
    {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw CommandError(description: "schemasync \(arguments.first ?? "") did not finish in \(Int(timeout)) s")
        }
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
}
