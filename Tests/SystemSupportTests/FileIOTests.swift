import Foundation
import SystemSupport
import Testing

/// Folder flushes report failures; new folders are made with their parents.
@Suite struct FileIOTests {
    let folder = FileManager.default.temporaryDirectory.path + "/fileio-\(UUID().uuidString)"

    @Test func flushingAFolderThatIsNotThereIsAnError() {
        #expect(throws: SystemError.self) { try FileIO.syncFolder(folder + "/missing") }
    }

    @Test func makesMissingParentsAndRefusesAFile() throws {
        try FileIO.makeFolder(folder + "/a/b/c")
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder + "/a/b/c", isDirectory: &isFolder) && isFolder.boolValue)
        try FileIO.makeFolder(folder + "/a/b/c")
        FileManager.default.createFile(atPath: folder + "/file", contents: Data("x".utf8))
        #expect(throws: SystemError.self) { try FileIO.makeFolder(folder + "/file/below") }
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test func anAppendCutsAPartialLastLineFirst() throws {
        try FileIO.makeFolder(folder)
        let path = folder + "/events.ndjson"
        try Data("{\"a\":1}\n{\"b\":".utf8).write(to: URL(fileURLWithPath: path))
        try NDJSONFile.append(Data("{\"c\":3}".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"a\":1}\n{\"c\":3}\n")
        try? FileManager.default.removeItem(atPath: folder)
    }
}
