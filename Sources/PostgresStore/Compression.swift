import CZlib
import Foundation

/// zlib (RFC 1950) compression of committed snapshots: canonical JSON shrinks about tenfold.
enum Compression {
    /// `data` compressed at the default level, by a deflate stream whose output is gathered
    /// 1 MiB at a time: memory holds the compressed bytes, not a buffer as large as `data`
    /// (`compressBound`, 57 MB for a 10,000-table snapshot).
    static func compress(_ data: Data) throws -> Data {
        var stream = z_stream()
        var status = deflateInit_(
            &stream, Z_DEFAULT_COMPRESSION, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(status: status) }
        defer { deflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        try data.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = deflate(&stream, Z_FINISH)
                    return out.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw Failure(status: status) }
                output.append(contentsOf: chunk.prefix(produced))
            } while status != Z_STREAM_END
        }
        return output
    }

    /// `data` decompressed into exactly `size` bytes; anything else is an error. A `size`
    /// beyond what `data` can hold (deflate expands at most 1032:1) is refused before anything
    /// is allocated: a damaged `snapshot_size` never asks for gigabytes.
    static func decompress(_ data: Data, size: Int) throws -> Data {
        guard size >= 0, size <= data.count * 1032 + 64 else { throw Failure(status: Z_DATA_ERROR) }
        var length = uLongf(size)
        var output = [UInt8](repeating: 0, count: max(size, 1))
        let status = data.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { out in
                uncompress(out.baseAddress, &length, input.bindMemory(to: Bytef.self).baseAddress, uLong(data.count))
            }
        }
        guard status == Z_OK, Int(length) == size else { throw Failure(status: status == Z_OK ? Z_DATA_ERROR : status) }
        return Data(output.prefix(size))
    }

    struct Failure: Error, CustomStringConvertible {
        var status: Int32
        var description: String { "zlib error \(status)" }
    }
}

/// bytea values travel as text in the hex format (`\x0a1b…`), the server's default output.
enum Bytea {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `\x` and two hex digits per byte.
    static func hex(_ data: Data) -> String {
        var bytes = [UInt8](repeating: 0, count: 2 + data.count * 2)
        bytes[0] = UInt8(ascii: "\\")
        bytes[1] = UInt8(ascii: "x")
        var index = 2
        for byte in data {
            bytes[index] = digits[Int(byte >> 4)]
            bytes[index + 1] = digits[Int(byte & 0x0F)]
            index += 2
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes of a `\x…` text; nil for anything else.
    static func bytes(_ text: String) -> Data? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0
        else { return nil }
        func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var data = Data(capacity: (utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            data.append(high << 4 | low)
            index += 2
        }
        return data
    }
}
