import SyncConfig
import Testing

@Suite struct ConfigTests {
    static let environment = ["CLOUD_SDK_AK": "HPUAEXAMPLE", "CLOUD_SDK_SK": "sk-never-shown", "DB_HOST": "db1"]

    static let full = """
        snapshots: ./state
        sink:
          kind: dataarts
          region: cn-north-4
          project_id: 0f1e2d
          auth: { ak: ${CLOUD_SDK_AK}, sk: "${CLOUD_SDK_SK}" }
          batch: { max_events: 50, max_bytes: 65536 }
        sources:
          - name: orders
            url: postgresql://sync@${DB_HOST}:5432/orders?sslmode=verify-full
            databases: [orders, billing]
            include: ["public.*"]
            exclude: ["*.tmp_*"]
            engine: DWS
            engine_version: auto
            instance_id: 4bac
          - name: shop
            url: mysql://sync@${SHOP_HOST:-db2}:3306/
            engine: MyCatalog
            max_drop_ratio: 0.5
        """

    @Test func readsEveryKey() throws {
        let config = try SyncConfig.parse(Self.full, path: "sync.yaml", environment: Self.environment)
        #expect(config.snapshots == "./state")
        #expect(config.sink.kind == .dataarts)
        #expect(config.sink.endpoint == "https://dayu.cn-north-4.myhuaweicloud.com")
        #expect(config.sink.projectID == "0f1e2d")
        #expect(config.sink.maxEvents == 50 && config.sink.maxBytes == 65536)
        guard case .accessKey(let ak, let sk, nil) = config.sink.auth else {
            Issue.record("expected AK/SK auth")
            return
        }
        #expect(ak == "HPUAEXAMPLE")
        #expect(sk.value == "sk-never-shown")
        #expect("\(sk)" == "<redacted>" && String(reflecting: sk) == "<redacted>")
        #expect(config.sources.map(\.name) == ["orders", "shop"])
        #expect(config.sources[0].url == "postgresql://sync@db1:5432/orders?sslmode=verify-full")
        #expect(config.sources[0].databases == ["orders", "billing"])
        #expect(config.sources[0].include == ["public.*"] && config.sources[0].exclude == ["*.tmp_*"])
        #expect(config.sources[0].instanceID == "4bac" && config.sources[0].maxDropRatio == 0.25)
        #expect(config.sources[1].url == "mysql://sync@db2:3306/")
        #expect(config.sources[1].databases.isEmpty && config.sources[1].maxDropRatio == 0.5)
        #expect(config.sources[1].engineVersion == "auto")
    }

    @Test func dataArtsTimeoutsRetriesAndTheIAMEndpoint() throws {
        let sources = "\nsources: [{name: a, url: 'host=x', engine: x}]"
        let defaults = try SyncConfig.parse(Self.full, path: "c", environment: Self.environment)
        #expect(defaults.sink.connectTimeout == 10 && defaults.sink.requestTimeout == 60)
        #expect(defaults.sink.maxAttempts == 6 && defaults.sink.maxRetrySeconds == 120)
        #expect(defaults.sink.baseDelay == 0.5 && defaults.sink.maxDelay == 30)

        let tuned = try SyncConfig.parse(
            """
            sink:
              kind: dataarts
              endpoint: https://dayu.ap-southeast-1.myhuaweicloud.com
              project_id: p
              auth: { user: sync, password: pw, domain: acme }
              timeouts: { connect: 2.5, request: 30 }
              retry: { max_attempts: 3, max_seconds: 40, base_delay: 0.1, max_delay: 5 }
            """ + sources, path: "c", environment: [:])
        #expect(tuned.sink.connectTimeout == 2.5 && tuned.sink.requestTimeout == 30)
        #expect(tuned.sink.maxAttempts == 3 && tuned.sink.maxRetrySeconds == 40)
        #expect(tuned.sink.baseDelay == 0.1 && tuned.sink.maxDelay == 5)
        guard case .password("sync", let password, "acme", let iam) = tuned.sink.auth else {
            Issue.record("expected an IAM password login")
            return
        }
        #expect(password.value == "pw")
        #expect(iam == "https://iam.ap-southeast-1.myhuaweicloud.com")

        let local = """
            sink: {kind: dataarts, endpoint: 'http://127.0.0.1:8080', project_id: p,
                   auth: {user: u, password: pw, domain: d}}
            """
        #expect {
            try SyncConfig.parse(local + sources, path: "c", environment: [:])
        } throws: { "\($0)".contains("sink.auth.iam_endpoint") && "\($0)".contains("missing") }

        for (timeouts, key) in [
            ("{connect: -1}", "connect"), ("{request: 0}", "request"), ("{request: 1e300}", "request"),
        ] {
            let wrong = "sink: {kind: dataarts, region: r, project_id: p, auth: {token: t}, timeouts: \(timeouts)}"
            #expect {
                try SyncConfig.parse(wrong + sources, path: "c", environment: [:])
            } throws: { "\($0)".contains("sink.timeouts.\(key)") && "\($0)".contains("above 0 and at most 86400") }
        }
    }

    @Test func theRateLimitDefaultsTo20AndZeroTurnsItOff() throws {
        let sources = "\nsources: [{name: a, url: 'host=x', engine: x}]"
        let sink = "sink: {kind: dataarts, region: r, project_id: p, auth: {token: t}"
        #expect(try SyncConfig.parse(sink + "}" + sources, path: "c", environment: [:]).sink.maxRequestsPerSecond == 20)
        for (text, rate) in [("0", 0.0), ("45", 45), ("2.5", 2.5), ("'${RATE}'", 7)] {
            let config = try SyncConfig.parse(
                sink + ", max_requests_per_second: \(text)}" + sources, path: "c", environment: ["RATE": "7"])
            #expect(config.sink.maxRequestsPerSecond == rate)
        }
        for wrong in ["-1", "fast", "1001", ".nan", "1e400", "1e-11", "0.0009", "[20]"] {
            let error = #expect(throws: ConfigError.self) {
                try SyncConfig.parse(
                    sink + ", max_requests_per_second: \(wrong)}" + sources, path: "c", environment: [:])
            }
            let message = error?.description ?? ""
            #expect(message.contains("c:1: sink.max_requests_per_second: expected"), "\(message)")
            if wrong != "[20]" {
                #expect(
                    message.contains("expected 0 (no limit) or a number of requests per second from 0.001 to 1000"),
                    "\(message)")
                #expect(!message.contains(wrong), "\(message)")
            }
        }
        // Read (and checked) for every kind; only the DataArts sink uses it.
        let file = try SyncConfig.parse(
            "sink: {kind: file, path: o.ndjson, max_requests_per_second: 5}" + sources, path: "c", environment: [:])
        #expect(file.sink.maxRequestsPerSecond == 5)
    }

    @Test func localSinksNeedNoCredentials() throws {
        let file = try SyncConfig.parse(
            "sink: {kind: file, path: out.ndjson}\nsources: [{name: a, url: 'host=x', engine: MyCatalog}]", path: "c",
            environment: [:])
        #expect(file.sink.kind == .file && file.sink.path == "out.ndjson" && file.snapshots == "snapshots")
        let stdout = try SyncConfig.parse(
            "sink: {kind: stdout}\nsources: [{name: a, url: 'host=x', engine: x, databases: all}]", path: "c",
            environment: [:])
        #expect(stdout.sources[0].databases == ["all"])
    }

    /// A `,` inside an unquoted value of a flow mapping starts a new key: the unknown "key" is a
    /// piece of the value (here of the password) and is never printed; a misplaced key of the
    /// config or a typo of a longer key is.
    @Test func anUnknownKeyThatMayBePartOfAValueIsNotPrinted() throws {
        func message(_ text: String) -> String {
            let error = #expect(throws: ConfigError.self) {
                try SyncConfig.parse(text, path: "c.yaml", environment: [:])
            }
            return error?.description ?? ""
        }
        let split = message(
            "sink: { kind: dataarts, endpoint: 'https://x', project_id: p, "
                + "auth: { user: u, password: S3cr3t,ss, domain: d } }\nsources: [{name: a, url: u, engine: x}]\n")
        #expect(split.contains("c.yaml:1: sink.auth: an unknown key (not shown"), "\(split)")
        #expect(!split.contains("auth.ss"), "\(split)")
        #expect(!split.contains("S3cr3t"), "\(split)")
        // A typo of a longer key is named.
        let typo = message(
            "sink: { kind: stdout, batch: { max_evnts: 5 } }\nsources: [{name: a, url: u, engine: x}]\n")
        #expect(typo.contains("sink.batch.max_evnts: unknown key"), "\(typo)")
    }

    /// Each bad config: the error names the file, the line, the key and the problem, and never a secret.
    @Test(arguments: [
        ("sink: {kind: stdout}\nsources:\n  - name: a\n    engine: x\n", "c.yaml:3: sources[0].url: missing"),
        (
            "sink: {kind: stdout}\nsources:\n  - name: a\n    url: u\n    engine: x\n    batch: 3\n",
            "c.yaml:6: sources[0].batch: unknown key"
        ),
        (
            "sink: {kind: carrier-pigeon}\nsources: [{name: a, url: u, engine: x}]\n",
            "c.yaml:1: sink.kind: unknown sink kind: use dataarts, file or stdout"
        ),
        (
            "sink:\n  kind: stdout\n  batch: {max_events: many}\nsources: [{name: a, url: u, engine: x}]\n",
            "c.yaml:3: sink.batch.max_events: expected a whole number"
        ),
        (
            "sink: {kind: stdout}\nsources:\n  - {name: a, url: 'postgresql://u:${NO_SUCH_PW}@h/db', engine: x}\n",
            "c.yaml:3: sources[0].url: the environment variable NO_SUCH_PW is not set"
        ),
        (
            "sink: {kind: stdout}\nsources: [{name: a, url: u, engine: DWS}]\n",
            "sources[0].instance_id: missing: engine DWS needs an instance_id"
        ),
        (
            "sink: {kind: dataarts, region: r, project_id: p}\nsources: [{name: a, url: u, engine: x}]\n",
            "c.yaml:1: sink.auth: missing"
        ),
        (
            "sink: {kind: stdout}\nsources: [{name: a, url: u, engine: x}, {name: a, url: v, engine: x}]\n",
            "c.yaml:2: sources[1].name: the same name as sources[0]"
        ),
        ("sink: {kind: stdout}\nsources: []\n", "c.yaml:2: sources: missing or empty"),
        ("sink: {kind: stdout}\nsources: [{name: ../up, url: u, engine: x}]\n", "sources[0].name: a source name is"),
        ("sink: [kind, stdout]\nsources: [{name: a, url: u, engine: x}]\n", "c.yaml:1: sink: expected a mapping"),
        ("sink: {kind: stdout\n", "c.yaml:1: sink: not valid YAML: did not find expected ',' or '}'"),
    ])
    func badConfigsSayWhatAndWhere(text: String, expected: String) throws {
        let error = try #require(throws: ConfigError.self) {
            try SyncConfig.parse(text, path: "c.yaml", environment: ["SECRET": "sk-never-shown"])
        }
        #expect(error.description.contains(expected), "\(error)")
        #expect(!error.description.contains("sk-never-shown"))
    }

    @Test func aSecretInTheURLIsNotInTheError() throws {
        let text = "sink: {kind: stdout}\nsources: [{name: a, url: 'postgresql://u:${PW}@h/db', engine: DWS}]\n"
        let error = try #require(throws: ConfigError.self) {
            try SyncConfig.parse(text, path: "c.yaml", environment: ["PW": "pw-never-shown"])
        }
        #expect(!error.description.contains("pw-never-shown"))
    }

    @Test func dollarsAndDefaults() throws {
        let text = "sink: {kind: file, path: '$$HOME/${DIR:-out}/x.ndjson'}\nsources: [{name: a, url: u, engine: x}]\n"
        #expect(try SyncConfig.parse(text, path: "c", environment: [:]).sink.path == "$HOME/out/x.ndjson")
        #expect(try SyncConfig.parse(text, path: "c", environment: ["DIR": "logs"]).sink.path == "$HOME/logs/x.ndjson")
    }

    /// `$$` is read in the same pass as `${…}`, from left to right, so that a literal `${`
    /// (in a password, say) can be written `$${`.
    @Test(arguments: [
        ("pa$${SS}word", "pa${SS}word"),
        ("'pa$${SS}word'", "pa${SS}word"),
        ("\"$${SS:-x}\"", "${SS:-x}"),
        ("$$${SS}", "$expanded"),
        ("$$$${SS}", "$${SS}"),
        ("a$$$$b", "a$$b"),
        ("$${", "${"),
        ("$$", "$"),
        ("$", "$"),
        ("x$y", "x$y"),
        ("${SS}$$", "expanded$"),
    ])
    func aDoubledDollarIsALiteralDollar(written: String, value: String) throws {
        let text = """
            sink:
              kind: dataarts
              region: r
              project_id: p
              auth:
                user: u
                password: \(written)
                domain: d
            sources: [{name: a, url: u, engine: x}]
            """
        let config = try SyncConfig.parse(text, path: "c", environment: ["SS": "expanded"])
        guard case .password(_, let password, _, _) = config.sink.auth else {
            Issue.record("expected an IAM password login")
            return
        }
        #expect(password.value == value)
    }

    /// A YAML syntax error says the file, the line and the key, never the line's text (Yams'
    /// own message quotes it; for a duplicated key, the whole file).
    @Test(arguments: [
        ("    sk: Sup3r:S3cret: x\n", "c.yaml:7: sink.auth.sk: not valid YAML: mapping values are not allowed"),
        ("    sk: \"Sup3rS3cret\n", "c.yaml:7: sink.auth.sk: not valid YAML"),
        ("    sk: 'Sup3rS3cret\n", "c.yaml:7: sink.auth.sk: not valid YAML"),
        ("    sk: Sup3rS3cret\n    sk: Sup3rS3cret\n", "c.yaml:7: sink.auth.sk: not valid YAML: a key is given twice"),
        ("    sk: [Sup3rS3cret\n", "c.yaml:7: sink.auth.sk: not valid YAML"),
        ("    sk: Sup3r\tS3cret: x\n", "c.yaml:7: sink.auth.sk: not valid YAML"),
        (
            "    sk: @Sup3rS3cret\n",
            "c.yaml:7: sink.auth.sk: not valid YAML: found character that cannot start any token"
        ),
        ("    sk: *Sup3rS3cret\n", "c.yaml:7: sink.auth.sk: not valid YAML"),
        ("    sk: Sup3r\u{1}S3cret\n", "c.yaml:7: sink.auth.sk: not valid YAML: control characters are not allowed"),
    ])
    func syntaxErrorsDoNotQuoteTheFile(line: String, expected: String) throws {
        let text = """
            sink:
              kind: dataarts
              region: r
              project_id: p
              auth:
                ak: AK
            \(line)sources:
              - {name: a, url: u, engine: x}
            """
        let error = try #require(throws: ConfigError.self) {
            try SyncConfig.parse(text, path: "c.yaml", environment: [:])
        }
        #expect(error.description.hasPrefix(expected), "\(error)")
        #expect(!error.description.contains("Sup3r") && !error.description.contains("S3cret"), "\(error)")
    }

    @Test func aSyntaxErrorInACRLFFile() throws {
        let text = "sink:\r\n  kind: stdout\r\n  path: Sup3r: S3cret\r\nsources: [{name: a, url: u, engine: x}]\r\n"
        let error = try #require(throws: ConfigError.self) {
            try SyncConfig.parse(text, path: "c.yaml", environment: [:])
        }
        #expect(error.description.hasPrefix("c.yaml:3: sink.path: not valid YAML"), "\(error)")
        #expect(!error.description.contains("S3cret"))
    }

    @Test func aSyntaxErrorInAListItemNamesItsIndex() throws {
        let text = """
            sink: {kind: stdout}
            sources:
              - name: a
                url: u
                engine: x
              - name: b
                engine: x
                url: postgresql://u:Sup3r:S3cret: x@h/db
            """
        let error = try #require(throws: ConfigError.self) {
            try SyncConfig.parse(text, path: "c.yaml", environment: [:])
        }
        #expect(error.description.hasPrefix("c.yaml:8: sources[1].url: not valid YAML"), "\(error)")
        #expect(!error.description.contains("S3cret"))
    }

    /// A value of the wrong type is not quoted: it may come from the environment (a secret
    /// in the wrong variable) or be a secret written in the wrong key.
    @Test(arguments: [
        ("sink:\n  kind: stdout\n  batch: {max_events: ${V}}\n", "c.yaml:3: sink.batch.max_events: expected a whole"),
        ("sink:\n  kind: stdout\n  insecure: ${V}\n", "c.yaml:3: sink.insecure: expected true or false"),
        ("sink:\n  kind: ${V}\n", "c.yaml:2: sink.kind: unknown sink kind"),
        (
            "sink: {kind: dataarts, region: r, project_id: p, auth: {token: t}, timeouts: {connect: '${V}'}}\n",
            "c.yaml:1: sink.timeouts.connect: expected a number of seconds"
        ),
    ])
    func typeErrorsDoNotQuoteTheValue(text: String, expected: String) throws {
        let sources = "sources:\n  - {name: a, url: u, engine: x, max_drop_ratio: '${R:-0.5}'}\n"
        let error = try #require(throws: ConfigError.self) {
            try SyncConfig.parse(text + sources, path: "c.yaml", environment: ["V": "Sup3rS3cret"])
        }
        #expect(error.description.hasPrefix(expected), "\(error)")
        #expect(!error.description.contains("Sup3rS3cret"))
        let ratio = try #require(throws: ConfigError.self) {
            try SyncConfig.parse(
                "sink: {kind: stdout}\n" + sources, path: "c.yaml", environment: ["R": "Sup3rS3cret"])
        }
        #expect(ratio.description.hasPrefix("c.yaml:3: sources[0].max_drop_ratio: expected a number from 0 to 1"))
        #expect(!ratio.description.contains("Sup3rS3cret"))
    }

    @Test func aMissingFile() {
        #expect(throws: ConfigError.self) { try SyncConfig.load(path: "/nonexistent/sync.yaml", environment: [:]) }
    }
}
