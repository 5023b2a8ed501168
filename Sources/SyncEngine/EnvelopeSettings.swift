package import EventDelivery

/// A source's request envelope as the config (or the command line) gives it, before the
/// server's version is known: the one place where `engine_version: auto` becomes the version
/// of the server the catalog was read from.
package struct EnvelopeSettings: Sendable, Hashable {
    /// The envelope's `engine`.
    package var engine: String
    /// The envelope's `engine_version`; `auto` is the server's version.
    package var engineVersion: String
    /// The envelope's `instance_id` (MRS, DWS).
    package var instanceID: String?
    /// The envelope's `project_id` (DLI).
    package var projectID: String?

    /// The settings; `engineVersion` `auto` (the default) is the server's version.
    package init(engine: String, engineVersion: String = "auto", instanceID: String?, projectID: String?) {
        self.engine = engine
        self.engineVersion = engineVersion
        self.instanceID = instanceID
        self.projectID = projectID
    }

    /// The envelope for a catalog read from a server of version `serverVersion`; throws
    /// `RequestEnvelope.InvalidEnvelope` when the API would refuse it.
    package func envelope(serverVersion: String) throws -> RequestEnvelope {
        let envelope = RequestEnvelope(
            engine: engine, engineVersion: engineVersion == "auto" ? serverVersion : engineVersion,
            instanceID: instanceID, projectID: projectID)
        try envelope.validate()
        return envelope
    }
}
