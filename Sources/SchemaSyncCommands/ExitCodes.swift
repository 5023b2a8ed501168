import ArgumentParser
import DataArtsClient
import EventDelivery
import Foundation
import LocalReceiver
import MySQLCapture
import PostgresCapture
import SnapshotStore
import SyncConfig
import SyncEngine

/// The documented exit codes (docs/exit-codes.md), after BSD `sysexits.h`.
package enum ExitStatus {
    /// Every code a command may exit with, and what it means (the root `--help` lists them all).
    package static let documented: [(code: Int32, meaning: String)] = [
        (0, "success"), (usage, "usage or configuration error"), (corruptData, "a corrupt snapshot or journal file"),
        (noInput, "no such snapshot"), (sourceUnavailable, "a source could not be read"),
        (internalError, "internal error"), (ioError, "the store or a sink could not be written"),
        (locked, "another run holds the source's lock"), (sinkRefused, "the DataArts API refused a request (4xx)"),
        (dropGuard, "the drop guard stopped a sync"),
        (sinkUnavailable, "the DataArts API was unavailable after retries"),
    ]

    static let usage: Int32 = 64
    static let corruptData: Int32 = 65
    static let noInput: Int32 = 66
    static let sourceUnavailable: Int32 = 69
    static let internalError: Int32 = 70
    static let ioError: Int32 = 74
    static let locked: Int32 = 75
    static let sinkRefused: Int32 = 76
    static let dropGuard: Int32 = 77
    static let sinkUnavailable: Int32 = 79

    /// The exit code for an error.
    static func code(for error: any Error) -> Int32 {
        switch error {
        case let error as PostgresError:
            return error.code == .invalidConnectionString ? usage : sourceUnavailable
        case let error as MySQLError:
            return error.code == .invalidURL ? usage : sourceUnavailable
        case let error as SnapshotStoreError:
            switch error.code {
            case .corrupt, .unsupportedFormat, .damagedJournal, .unsupportedStore: return corruptData
            case .locked, .lockLost: return locked
            case .invalidSourceName: return usage
            case .notFound: return noInput
            default: return ioError
            }
        case is UsageError, is ConfigError, is RequestEnvelope.InvalidEnvelope:
            return usage
        case is DropGuard.Stop:
            return dropGuard
        case is DeliveryEngine.DestinationChanged, is SourceReset.RetirementPending:
            return usage
        case is SinkError:
            return ioError
        case is DeliveryRefused:
            return sinkRefused
        case is DeliveryUnavailable:
            return sinkUnavailable
        case let error as ReceiverError:
            switch error.code {
            case .invalidOptions: return usage
            case .corruptState: return corruptData
            case .noCatalog: return noInput
            case .cannotListen, .io: return ioError
            }
        default:
            return internalError
        }
    }
}

/// A mistake in how the command was called, with what to do instead.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a command body; on error, prints it (never a secret: every error type here redacts)
/// to standard error and exits with its documented code.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("schemasync: error: \(error)\n".utf8))
        throw ExitCode(ExitStatus.code(for: error))
    }
}

/// Writes text to standard output.
func printOut(_ data: Data) {
    FileHandle.standardOutput.write(data)
}
