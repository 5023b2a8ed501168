import EventDelivery
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Sinks shared by sources synced in parallel (`sync --jobs N`): nothing lost, no line torn.
@Suite struct SinkConcurrencyTests {
    /// `count` distinct bodies of about `size` bytes for writer `writer`.
    static func bodies(writer: Int, count: Int, size: Int) -> [Data] {
        (0..<count).map { index in
            Data("{\"writer\":\(writer),\"body\":\(index),\"pad\":\"\(String(repeating: "x", count: size))\"}".utf8)
        }
    }

    @Test func fileSinkWritersNeverLoseOrTearALine() async throws {
        let path = FileManager.default.temporaryDirectory.path + "/sink-\(UUID().uuidString).ndjson"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Each writer opens the file on its own, as another process would: flock serializes them.
        let expected = (0..<8).map { Self.bodies(writer: $0, count: 100, size: 3000) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for body in expected[writer] { try await FileSink(path: path).send(body) }
                }
            }
            try await group.waitForAll()
        }
        let lines = try Data(contentsOf: URL(fileURLWithPath: path)).split(separator: 0x0A).map { Data($0) }
        #expect(lines.count == 800)
        #expect(Set(lines) == Set(expected.joined()))
        // Each writer's bodies in its own order.
        for writer in 0..<8 {
            #expect(lines.filter { expected[writer].contains($0) } == expected[writer])
        }
    }

    @Test func stdoutSinkWritesWholeLines() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        // A one-page pipe (F_SETPIPE_SZ, 1031 on Linux): every body takes many writes, each
        // waiting for the reader, so unserialized writers would interleave.
        _ = fcntl(writeEnd, 1031, 4096)
        // Drain the pipe on a thread of its own while the writers write.
        nonisolated(unsafe) var output = Data()
        let drained = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                if count <= 0 { break }
                output.append(contentsOf: buffer[0..<count])
            }
            drained.signal()
        }
        // Bodies far above PIPE_BUF, so that a write may be cut into pieces the kernel interleaves.
        let sink = StdoutSink(fileDescriptor: writeEnd)
        let expected = (0..<4).map { Self.bodies(writer: $0, count: 20, size: 200_000) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for body in expected[writer] { try await sink.send(body) }
                }
            }
            try await group.waitForAll()
        }
        close(writeEnd)
        drained.wait()
        close(readEnd)
        let lines = output.split(separator: 0x0A).map { Data($0) }
        #expect(lines.count == 80)
        #expect(Set(lines) == Set(expected.joined()))
    }
}
