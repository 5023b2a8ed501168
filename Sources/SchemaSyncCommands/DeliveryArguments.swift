import ArgumentParser
import EventDelivery
import SyncConfig
import SyncEngine

/// Where events go and the request envelope, for the commands that send. (The config file
/// of the delivery milestone will provide the same.)
struct DeliveryArguments: ParsableArguments {
    @Option(name: .long, help: "Where to send: an NDJSON file (one request body per line), or - for standard output.")
    var output: String?

    @Option(name: .long, help: "The envelope's engine: MRS, DWS, DLI, or any name.")
    var engine: String?

    @Option(name: .long, help: "The envelope's engine_version; default: the server's version.")
    var engineVersion: String?

    @Option(name: .long, help: "The envelope's instance_id (required for MRS and DWS).")
    var instanceId: String?

    @Option(name: .long, help: "The envelope's project_id (required for DLI).")
    var projectId: String?

    @Option(name: .long, help: "At most this many events per request.")
    var maxEvents: Int = SinkConfig.defaultMaxEvents

    @Option(name: .long, help: "At most this many bytes of body per request.")
    var maxBytes: Int = 1_048_576

    var batcher: Batcher { Batcher(maxEvents: maxEvents, maxBytes: maxBytes) }

    func sink() throws -> any Sink {
        guard let output else {
            throw UsageError(description: "--output is required: an NDJSON file to append to, or - for standard output")
        }
        return output == "-" ? StdoutSink() : FileSink(path: output)
    }

    /// The envelope options (no --engine-version: the server's version, as `auto`).
    func envelopeSettings() throws -> EnvelopeSettings {
        guard let engine, !engine.isEmpty else {
            throw UsageError(description: "--engine is required: MRS, DWS, DLI or the name your catalog expects")
        }
        let settings = EnvelopeSettings(
            engine: engine, engineVersion: engineVersion ?? "auto", instanceID: instanceId, projectID: projectId)
        do {
            _ = try settings.envelope(serverVersion: "")
        } catch {
            throw UsageError(description: "\(error): give --instance-id or --project-id")
        }
        return settings
    }
}
