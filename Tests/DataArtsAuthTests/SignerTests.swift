import DataArtsAuth
import Foundation
import Testing

/// The names of the headers the signer may set; a capture's other signed headers are the request's own.
private let signerHeaderNames: Set<String> = [
    "authorization", "host", "x-project-id", "x-sdk-date", "x-security-token", "x-sdk-content-sha256",
]

@Suite("SDK-HMAC-SHA256 signer")
struct SignerTests {
    @Test("every signing vector, every field, byte for byte")
    func signingVectors() throws {
        let fixture = try Fixture.load()
        #expect(fixture.algorithm == Signer.algorithm)
        #expect(fixture.signingVectors.count == 15)
        for vector in fixture.signingVectors {
            let input = vector.input
            let expected = vector.expected
            let request = try input.request()
            let signed = try Signer.sign(
                request, credentials: input.credentials, sdkDate: input.xSDKDate, projectID: input.projectID)
            let name = Comment(rawValue: vector.name)

            #expect(signed.authorization == expected.authorization, name)
            #expect(signed.signature == expected.signature, name)
            #expect(signed.signedHeaderNames == expected.signedHeaders, name)
            #expect(signed.canonicalRequest == expected.canonicalRequest, name)
            #expect(signed.stringToSign == expected.stringToSign, name)
            #expect(signed.payloadHash == expected.payloadHash, name)
            #expect(request.requestURI == expected.wireURI, name)
            #expect(request.url?.absoluteString == expected.url, name)
            let all = Dictionary(signed.all.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
            #expect(signed.all.count == all.count, name)
            #expect(all == expected.headers, name)
            #expect(signed.added.map(\.name).sorted() == expected.headersAddedBySDK.sorted(), name)

            // The helpers agree with sign.
            let canonical = try Signer.canonicalRequest(
                for: request, credentials: input.credentials, sdkDate: input.xSDKDate, projectID: input.projectID)
            #expect(canonical == expected.canonicalRequest, name)
            #expect(
                Signer.stringToSign(canonicalRequest: canonical, sdkDate: input.xSDKDate) == expected.stringToSign,
                name)
        }
    }

    @Test("both SDK captures: the headers the signer adds are the ones the SDK sent")
    func sdkCaptures() throws {
        let fixture = try Fixture.load()
        #expect(fixture.sdkCapture.count == 2)
        for capture in fixture.sdkCapture {
            let name = Comment(rawValue: capture.name)
            let wire = try capture.wireHeaders.map { field in
                try #require(field.count == 2)
                return HeaderField(field[0], field[1])
            }
            let transport = Set(capture.unsignedWireHeaders)
            // The request as the SDK had it before signing: the wire headers that are neither the
            // HTTP library's (Accept, Content-Length, ...) nor the signer's.
            let own = wire.filter { !transport.contains($0.name) && !signerHeaderNames.contains($0.name.lowercased()) }
            let requestLine = capture.requestLine.split(separator: " ")
            try #require(requestLine.count == 3)
            let url = try #require(URL(string: capture.endpoint + requestLine[1]))
            #expect(!capture.bodyIsNone, name)
            let body = try decodeBase64(capture.bodyBase64)
            let request = try #require(
                SigningRequest(method: String(requestLine[0]), url: url, headers: own, body: body))
            #expect(request.host == "127.0.0.1:18765", name)
            #expect(request.requestURI == String(requestLine[1]), name)
            #expect(wire.first { $0.name == "Content-Length" }?.value == String(body.count), name)

            let credentials = Credentials(
                ak: capture.credentials.ak, sk: capture.credentials.sk,
                securityToken: capture.credentials.securityToken)
            let signed = try Signer.sign(
                request, credentials: credentials, sdkDate: capture.xSDKDate, projectID: capture.credentials.projectID)

            // Exactly the signer's wire headers, same values, same order.
            let sentBySigner = wire.filter { signerHeaderNames.contains($0.name.lowercased()) }
            #expect(signed.added == sentBySigner, name)
            for header in ["Authorization", "X-Sdk-Date", "X-Project-Id", "Host"] {
                #expect(signed[header] != nil, name)
                #expect(signed[header] == wire.first { $0.name == header }?.value, name)
            }
            #expect(signed["X-Security-Token"] == capture.credentials.securityToken, name)
            // Every header the SDK sent that is not the HTTP library's is one the signer returns.
            #expect(signed.all == wire.filter { !transport.contains($0.name) }, name)
            #expect(signed.signedHeaderNames == capture.signedHeaders, name)
            #expect(signed.canonicalRequest == capture.canonicalRequest, name)
            #expect(signed.stringToSign == capture.stringToSign, name)
        }
    }

    @Test("one flipped byte of the secret key, the body or the date changes the signature")
    func signatureIsSensitive() throws {
        let vector = try #require(try Fixture.load().signingVectors.first)
        let input = vector.input
        let request = try input.request()
        let signed = try Signer.sign(
            request, credentials: input.credentials, sdkDate: input.xSDKDate, projectID: input.projectID)
        #expect(signed.authorization == vector.expected.authorization)

        var sk = Array(input.sk.utf8)
        sk[sk.count - 1] ^= 0x01
        let otherKey = Credentials(ak: input.ak, sk: String(decoding: sk, as: UTF8.self))
        let withOtherKey = try Signer.sign(
            request, credentials: otherKey, sdkDate: input.xSDKDate, projectID: input.projectID)
        #expect(withOtherKey.signature != vector.expected.signature)
        #expect(withOtherKey.authorization != vector.expected.authorization)
        #expect(withOtherKey.canonicalRequest == vector.expected.canonicalRequest)

        var otherBody = request
        var bytes = try #require(request.body)
        bytes[bytes.startIndex] ^= 0x01
        otherBody.body = bytes
        let withOtherBody = try Signer.sign(
            otherBody, credentials: input.credentials, sdkDate: input.xSDKDate, projectID: input.projectID)
        #expect(withOtherBody.payloadHash != vector.expected.payloadHash)
        #expect(withOtherBody.signature != vector.expected.signature)

        let otherDate = try Signer.sign(
            request, credentials: input.credentials, sdkDate: "20240315T083001Z", projectID: input.projectID)
        #expect(otherDate.signature != vector.expected.signature)
    }

    @Test("credentials print neither the secret key nor the security token")
    func credentialsAreRedacted() {
        let sk = "ExampleSecretKey0000000000000000000000001"
        let token = "gQpjbi1ub3J0aC00jEXAMPLE+security/token=="
        for credentials in [
            Credentials(ak: "HPUAEXAMPLEAK0000001", sk: sk),
            Credentials(ak: "HPUAEXAMPLEAK0000001", sk: sk, securityToken: token),
        ] {
            var dumped = ""
            dump(credentials, to: &dumped)
            for text in [
                credentials.description, credentials.debugDescription, "\(credentials)",
                String(reflecting: credentials),
                dumped,
            ] {
                #expect(!text.contains(sk))
                #expect(!text.contains(token))
                #expect(!text.contains("ExampleSecret"))
                #expect(text.contains("HPUA"))
            }
        }
        #expect(Credentials(ak: "HPUAEXAMPLEAK0000001", sk: sk).description == "Credentials(ak: HPUA…, sk: <redacted>)")
        #expect(
            Credentials(ak: "HPUAEXAMPLEAK0000001", sk: sk, securityToken: token).description
                == "Credentials(ak: HPUA…, sk: <redacted>, securityToken: <redacted>)")
    }

    @Test("X-Sdk-Date is YYYYMMDDTHHMMSSZ in UTC")
    func sdkDateFormat() throws {
        #expect(Signer.sdkDate(Date(timeIntervalSince1970: 1_710_491_400)) == "20240315T083000Z")
        #expect(Signer.sdkDate(Date(timeIntervalSince1970: 1_735_689_599.999)) == "20241231T235959Z")
        #expect(Signer.sdkDate(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")

        let vector = try #require(try Fixture.load().signingVectors.first)
        let input = vector.input
        let atDate = try Signer.sign(
            try input.request(), credentials: input.credentials, date: Date(timeIntervalSince1970: 1_710_491_400),
            projectID: input.projectID)
        #expect(atDate.authorization == vector.expected.authorization)

        #expect(Signer.isValidSDKDate("20240229T235959Z"))
        for invalid in [
            "20230229T000000Z", "20240315T240000Z", "20240315T083060Z", "2024315T83000Z", "20240315 083000Z",
        ] {
            #expect(!Signer.isValidSDKDate(invalid), "\(invalid)")
        }
    }

    @Test("an X-Sdk-Date already among the headers wins; a malformed one is an error")
    func existingDateHeader() throws {
        let vector = try #require(try Fixture.load().signingVectors.first)
        let input = vector.input
        var request = try input.request()
        request.headers.append(HeaderField("x-sdk-date", input.xSDKDate))
        let signed = try Signer.sign(
            request, credentials: input.credentials, sdkDate: "20000101T000000Z", projectID: input.projectID)
        #expect(signed.signature == vector.expected.signature)
        #expect(!signed.added.contains { $0.name == "X-Sdk-Date" })

        request.headers[request.headers.count - 1].value = "2024-03-15T08:30:00Z"
        #expect(throws: SigningError.invalidSDKDate("2024-03-15T08:30:00Z")) {
            try Signer.sign(request, credentials: input.credentials, sdkDate: input.xSDKDate)
        }
        #expect(throws: SigningError.missingSecretKey) {
            try Signer.sign(request, credentials: Credentials(ak: "AK", sk: ""), sdkDate: input.xSDKDate)
        }
        #expect(throws: SigningError.missingAccessKey) {
            try Signer.sign(request, credentials: Credentials(ak: "", sk: "SK"), sdkDate: input.xSDKDate)
        }
    }

    @Test("canonical URI and query string edge cases")
    func canonicalization() {
        #expect(Signer.canonicalURI("/") == "/")
        #expect(Signer.canonicalURI("") == "/")
        #expect(Signer.canonicalURI("/a//b") == "/a//b/")
        #expect(Signer.canonicalURI("/%zz/%4") == "/%25zz/%254/")
        #expect(Signer.canonicalURI("/%ff") == "/%EF%BF%BD/")
        // Python splits on code points: a '/' before a combining mark still separates.
        #expect(Signer.canonicalURI("/a/%CC%94b") == "/a/%CC%94b/")
        #expect(Signer.canonicalURI("/a%2F%CC%94b") == "/a/%CC%94b/")
        #expect(Signer.signedHeaderNames([HeaderField("X_\u{301}a", "v"), HeaderField("B", "v")]) == ["b"])
        #expect(Signer.canonicalQueryString([]) == "")
        #expect(
            Signer.canonicalQueryString([QueryItem("b", ""), QueryItem("a", "2"), QueryItem("a", "10")])
                == "a=10&a=2&b=")
        #expect(Signer.payloadHash(nil) == Signer.emptyPayloadHash)
        #expect(Signer.payloadHash(Data()) == Signer.emptyPayloadHash)
    }

    @Test("a request from a URL keeps the port in Host and decodes the query")
    func requestFromURL() throws {
        let url = try #require(URL(string: "https://example.com:443/v1/p/search?b=two%20words&a=1&flag"))
        let request = try #require(SigningRequest(method: "GET", url: url))
        #expect(request.scheme == "https")
        #expect(request.host == "example.com:443")
        #expect(request.path == "/v1/p/search")
        #expect(request.query == [QueryItem("b", "two words"), QueryItem("a", "1"), QueryItem("flag", "")])
        #expect(request.requestURI == "/v1/p/search?a=1&b=two%20words&flag=")

        let bare = try #require(URL(string: "https://example.com"))
        let plain = try #require(SigningRequest(method: "GET", url: bare))
        #expect(plain.host == "example.com")
        #expect(plain.path == "")
    }
}
