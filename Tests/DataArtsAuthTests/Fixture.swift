import DataArtsAuth
import Foundation
import Testing

/// Fixtures/signing-vectors.json: vectors and wire captures from huaweicloudsdkcore 3.1.219.
struct Fixture: Decodable {
    let algorithm: String
    let signingVectors: [Vector]
    let sdkCapture: [Capture]

    enum CodingKeys: String, CodingKey {
        case algorithm
        case signingVectors = "signing_vectors"
        case sdkCapture = "sdk_capture"
    }

    /// The fixture, decoded from the test bundle.
    static func load() throws -> Fixture {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/signing-vectors", withExtension: "json"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// One signing vector: the SDK's inputs and what it computed.
    struct Vector: Decodable {
        let name: String
        let input: Input
        let expected: Expected
    }

    /// A vector's inputs.
    struct Input: Decodable {
        let ak: String
        let sk: String
        let projectID: String?
        let securityToken: String?
        let method: String
        let scheme: String
        let host: String
        let path: String
        let query: [QueryParameter]
        let headers: [String: String]
        let bodyUTF8: String?
        let bodyBase64: String?
        let bodyIsNone: Bool
        let xSDKDate: String

        enum CodingKeys: String, CodingKey {
            case ak, sk, method, scheme, host, path, query, headers
            case projectID = "project_id"
            case securityToken = "security_token"
            case bodyUTF8 = "body_utf8"
            case bodyBase64 = "body_base64"
            case bodyIsNone = "body_is_none"
            case xSDKDate = "x_sdk_date"
        }

        var credentials: Credentials { Credentials(ak: ak, sk: sk, securityToken: securityToken) }

        /// The body bytes: nil when the SDK had none.
        func body() throws -> Data? {
            if bodyIsNone { return nil }
            return try decodeBase64(bodyBase64 ?? "")
        }

        /// The request, header order as the JSON object's keys sorted (no vector has names equal but for case).
        func request() throws -> SigningRequest {
            SigningRequest(
                method: method, scheme: scheme, host: host, path: path, query: query.flatMap(\.items),
                headers: headers.sorted { $0.key < $1.key }.map { HeaderField($0.key, $0.value) }, body: try body())
        }
    }

    /// A query parameter as the SDK took it: `[name, value]`, the value text, a boolean, a number or a list.
    struct QueryParameter: Decodable {
        let items: [QueryItem]

        init(from decoder: any Decoder) throws {
            var pair = try decoder.unkeyedContainer()
            let name = try pair.decode(String.self)
            if let flag = try? pair.decode(Bool.self) {
                items = [QueryItem(name, flag ? "true" : "false")]  // Python: str(True).lower()
            } else if let number = try? pair.decode(Int.self) {
                items = [QueryItem(name, String(number))]  // Python: str(3)
            } else if let text = try? pair.decode(String.self) {
                items = [QueryItem(name, text)]
            } else {
                items = try pair.decode([String].self).map { QueryItem(name, $0) }  // one item per list element
            }
        }
    }

    /// What the SDK computed for a vector.
    struct Expected: Decodable {
        let authorization: String
        let signedHeaders: [String]
        let signature: String
        let canonicalRequest: String
        let stringToSign: String
        let payloadHash: String
        let wireURI: String
        let url: String
        let headers: [String: String]
        let headersAddedBySDK: [String]

        enum CodingKeys: String, CodingKey {
            case authorization, signature, url, headers
            case signedHeaders = "signed_headers"
            case canonicalRequest = "canonical_request"
            case stringToSign = "string_to_sign"
            case payloadHash = "payload_hash"
            case wireURI = "wire_uri"
            case headersAddedBySDK = "headers_added_by_sdk"
        }
    }

    /// One request the SDK's DataArtsStudioClient sent to a loopback server, as received.
    struct Capture: Decodable {
        let name: String
        let endpoint: String
        let credentials: CaptureCredentials
        let xSDKDate: String
        let requestLine: String
        let wireHeaders: [[String]]
        let bodyBase64: String
        let bodyIsNone: Bool
        let signedHeaders: [String]
        let unsignedWireHeaders: [String]
        let canonicalRequest: String
        let stringToSign: String

        enum CodingKeys: String, CodingKey {
            case name, endpoint, credentials
            case xSDKDate = "x_sdk_date"
            case requestLine = "request_line"
            case wireHeaders = "wire_headers"
            case bodyBase64 = "body_base64"
            case bodyIsNone = "body_is_none"
            case signedHeaders = "signed_headers"
            case unsignedWireHeaders = "unsigned_wire_headers"
            case canonicalRequest = "canonical_request"
            case stringToSign = "string_to_sign"
        }
    }

    /// The credentials of a capture.
    struct CaptureCredentials: Decodable {
        let ak: String
        let sk: String
        let projectID: String?
        let securityToken: String?

        enum CodingKeys: String, CodingKey {
            case ak, sk
            case projectID = "project_id"
            case securityToken = "security_token"
        }
    }
}

/// The bytes of `text`, which must be valid base64.
func decodeBase64(_ text: String) throws -> Data {
    try #require(Data(base64Encoded: text))
}
