import Foundation

/// Writes files so that an interrupted export never leaves half a file: the bytes go to a new temporary file in
/// the same folder (`.NAME.UUID.tmp`, created exclusively), are flushed to disk, and the file is then renamed over
/// the target — rename(2) replaces the target atomically on POSIX file systems, so a reader sees the old content
/// or the new, never a mix. On any failure the temporary file is removed and the target is left as it was.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        func failure(_ code: Int32) -> ExportError {
            let reason: String
            switch code {
            case ENOENT:
                var isFolder: ObjCBool = false
                reason =
                    FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder) && isFolder.boolValue
                    ? "files cannot be created in \(directory.path)" : "the folder \(directory.path) does not exist"
            case ENOTDIR: reason = "\(directory.path) is not a folder"
            case EACCES, EPERM: reason = "no permission to create files in \(directory.path)"
            case EROFS: reason = "\(directory.path) is on a read-only file system"
            case EISDIR: reason = "it is a folder"
            default: reason = String(cString: strerror(code))
            }
            return ExportError("cannot write \(url.path): \(reason)")
        }

        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw failure(errno) }
        var code: Int32 = 0
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = Foundation.write(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                offset += n
            }
        }
        if code == 0, fsync(fd) != 0 { code = errno }
        if close(fd) != 0, code == 0 { code = errno }
        if code == 0, rename(temporary.path, url.path) != 0 { code = errno }
        if code != 0 {
            unlink(temporary.path)
            throw failure(code)
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}

/// Why an export failed, in plain words.
public struct ExportError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
