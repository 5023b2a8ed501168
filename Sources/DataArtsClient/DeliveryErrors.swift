import Foundation

/// The API answered 4xx: the request is wrong, and sending it again would not help. Nothing
/// is recorded as delivered; the next run sends the same request again once the cause is fixed.
package struct DeliveryRefused: Error, CustomStringConvertible, Sendable {
    /// What refused: `DataArts Studio` or `IAM`.
    package var service: String
    /// The endpoint's origin.
    package var origin: String
    /// The HTTP status.
    package var status: Int
    /// The API's `error_code`, when it gave one.
    package var errorCode: String?
    /// The API's `error_msg`, when it gave one.
    package var errorMessage: String?
    /// The API's request id (`X-Request-Id`), for a support ticket.
    package var requestID: String?
    /// What to check.
    package var hint: String

    /// The refusal, the API's code and message, and the hint.
    package var description: String {
        var text = "\(service) at \(origin) refused the request: HTTP \(status)"
        if let errorCode { text += " \(errorCode)" }
        if let errorMessage { text += ": \(errorMessage)" }
        if let requestID { text += " (request id \(requestID))" }
        return text + "\nhint: \(hint)"
    }

    /// The hint for a status of DataArts Studio's API.
    static func hint(status: Int) -> String {
        switch status {
        case 400:
            return "the API rejected the body (the envelope's engine, instance_id or project_id, or an event); "
                + "nothing was recorded as delivered; fix the source's config, or report a bug with `schemasync diff`'s output"
        case 401:
            return "check the AK/SK or the token, and this machine's clock (a signature is valid for 15 minutes)"
        case 403:
            return "check the project (sink.project_id) and that the account may use DataArts Studio's metadata API"
        case 404:
            return "check sink.project_id and sink.endpoint or sink.region"
        case 413:
            return "the request is too large for the API: lower sink.batch.max_bytes"
        default:
            return "the API refused the request; sending it again would not help"
        }
    }
}

/// No answer but failures, until the retry budget ran out, or a failure that cannot pass by
/// itself (a certificate that does not verify). Nothing is recorded as delivered; the next run
/// sends the same request again.
package struct DeliveryUnavailable: Error, CustomStringConvertible, Sendable {
    /// What was unavailable: `DataArts Studio` or `IAM`.
    package var service: String
    /// The endpoint's origin.
    package var origin: String
    /// Requests made.
    package var attempts: Int
    /// Seconds spent, from the first request.
    package var seconds: Double
    /// The last failure.
    package var lastFailure: String
    /// What to check.
    package var hint: String

    /// What happened and the hint.
    package var description: String {
        let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        return "\(service) at \(origin) is unavailable: \(lastFailure) (\(tries) in "
            + String(format: "%.1f", seconds) + " s)\nhint: \(hint)"
    }
}

/// `error_code` and `error_msg` from a DataArts error body, or IAM's `{"error": {"code", "message"}}`.
func apiError(in body: Data) -> (code: String?, message: String?) {
    guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return (nil, nil) }
    if let nested = object["error"] as? [String: Any] {
        return (text(nested["code"]), text(nested["message"]))
    }
    return (text(object["error_code"]), text(object["error_msg"] ?? object["error_message"]))
}

private func text(_ value: Any?) -> String? {
    switch value {
    case let string as String: return string
    case let number as NSNumber: return number.stringValue
    default: return nil
    }
}
