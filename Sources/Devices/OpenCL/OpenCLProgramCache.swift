#if canImport(Glibc)
import Glibc
#endif
import COpenCL
import Synchronization

/// Builds OpenCL programs and keeps their binaries (`CL_PROGRAM_BINARIES`) on disk, so a later
/// process loads them with `clCreateProgramWithBinary` instead of compiling again.
///
/// An entry is keyed by the device's name, driver and OpenCL versions, the build options and
/// a hash of the source. Files are written to a temporary name and renamed, so readers never
/// see half an entry; an entry the driver rejects is rebuilt and overwritten. Disk errors
/// only cost a compile: the cache is never needed for correctness.
final class OpenCLProgramCache: Sendable {
    /// Where entries live, or nil when no directory could be named (then nothing is cached).
    let directory: String?
    /// Programs compiled from source / loaded from a cached binary by this cache.
    let compileCount = Atomic<Int>(0)
    let binaryLoadCount = Atomic<Int>(0)

    init(directory: String?) {
        self.directory = directory
    }

    /// `$DEVICESHIM_CACHE_DIR`, else `$XDG_CACHE_HOME/deviceshim/opencl`, else
    /// `~/.cache/deviceshim/opencl`.
    static func defaultDirectory() -> String? {
        if let explicit = environment("DEVICESHIM_CACHE_DIR") { return explicit }
        if let xdg = environment("XDG_CACHE_HOME") { return xdg + "/deviceshim/opencl" }
        if let home = environment("HOME") { return home + "/.cache/deviceshim/opencl" }
        return nil
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    /// The file holding the binary of `source` built with `options` for `device`.
    func entryPath(name: String, source: String, options: String, device: OpenCLDevice) -> String? {
        guard let directory else { return nil }
        let key = device.limits.binaryKey + "\n" + options + "\n" + source
        return "\(directory)/\(name)-\(Self.hash(key, seed: 0xcbf2_9ce4_8422_2325))\(Self.hash(key, seed: 0x8422_2325_cbf2_9ce4)).bin"
    }

    /// A built program for `device`: from the cached binary when there is a valid one, else
    /// compiled from `source` (and then cached). Throws `compileFailed` with the build log.
    func program(name: String, source: String, options: String, device: OpenCLDevice) throws(DeviceError) -> OpaquePointer {
        let path = entryPath(name: name, source: source, options: options, device: device)
        if let path, let binary = Self.readFile(path), let program = loadBinary(binary, options: options, device: device) {
            binaryLoadCount.add(1, ordering: .relaxed)
            return program
        }
        let program = try compile(source, options: options, device: device)
        compileCount.add(1, ordering: .relaxed)
        if let path, let binary = Self.binary(of: program, device: device), let directory {
            Self.makeDirectories(directory)
            Self.writeAtomically(binary, to: path)
        }
        return program
    }

    /// A program from a cached binary, or nil when the driver rejects it.
    func loadBinary(_ binary: [UInt8], options: String, device: OpenCLDevice) -> OpaquePointer? {
        let cl = device.api.cl
        var deviceID = device.deviceHandle
        var length = binary.count
        var binaryStatus: cl_int = CL_SUCCESS
        var status: cl_int = CL_SUCCESS
        guard let context = try? device.context.handle(for: device.id) else { return nil }
        let program = binary.withUnsafeBufferPointer { bytes -> OpaquePointer? in
            var pointer: UnsafePointer<UInt8>? = bytes.baseAddress
            return cl.clCreateProgramWithBinary!(context, 1, &deviceID, &length, &pointer, &binaryStatus, &status)
        }
        guard let program else { return nil }
        guard status == CL_SUCCESS, binaryStatus == CL_SUCCESS,
              cl.clBuildProgram!(program, 1, &deviceID, options, nil, nil) == CL_SUCCESS
        else {
            _ = cl.clReleaseProgram!(program)
            return nil
        }
        return program
    }

    private func compile(_ source: String, options: String, device: OpenCLDevice) throws(DeviceError) -> OpaquePointer {
        let cl = device.api.cl
        let context = try device.context.handle(for: device.id)
        var status: cl_int = CL_SUCCESS
        var length = source.utf8.count
        let program = source.withCString { text -> OpaquePointer? in
            var pointer: UnsafePointer<CChar>? = text
            return cl.clCreateProgramWithSource!(context, 1, &pointer, &length, &status)
        }
        guard let program, status == CL_SUCCESS else {
            throw .driver(device: device.id, call: "clCreateProgramWithSource", code: Int(status))
        }
        var deviceID = device.deviceHandle
        let built = cl.clBuildProgram!(program, 1, &deviceID, options, nil, nil)
        guard built == CL_SUCCESS else {
            let log = Self.buildLog(program, device: device)
            _ = cl.clReleaseProgram!(program)
            throw .compileFailed(device: device.id, log: "\(OpenCLStatus.name(built)): \(log)")
        }
        return program
    }

    static func buildLog(_ program: OpaquePointer, device: OpenCLDevice) -> String {
        let cl = device.api.cl
        var size = 0
        guard cl.clGetProgramBuildInfo!(program, device.deviceHandle, cl_program_build_info(CL_PROGRAM_BUILD_LOG), 0, nil, &size)
            == CL_SUCCESS, size > 0 else { return "(no build log)" }
        var log = [UInt8](repeating: 0, count: size)
        _ = cl.clGetProgramBuildInfo!(program, device.deviceHandle, cl_program_build_info(CL_PROGRAM_BUILD_LOG), size, &log, nil)
        return String(decoding: log.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The program's binary for its one device.
    private static func binary(of program: OpaquePointer, device: OpenCLDevice) -> [UInt8]? {
        let cl = device.api.cl
        var size = 0
        guard cl.clGetProgramInfo!(program, cl_program_info(CL_PROGRAM_BINARY_SIZES), MemoryLayout<Int>.size, &size, nil)
            == CL_SUCCESS, size > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let status = bytes.withUnsafeMutableBufferPointer { buffer -> cl_int in
            var pointer: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return cl.clGetProgramInfo!(program, cl_program_info(CL_PROGRAM_BINARIES), MemoryLayout<UnsafeMutablePointer<UInt8>>.size,
                                        &pointer, nil)
        }
        return status == CL_SUCCESS ? bytes : nil
    }

    // MARK: - Files

    /// 64-bit FNV-1a of `text` from `seed`, as 16 hex digits.
    static func hash(_ text: String, seed: UInt64) -> String {
        var value = seed
        for byte in text.utf8 {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = Glibc.read(descriptor, &chunk, chunk.count)
            if count < 0 { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes.isEmpty ? nil : bytes
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) {
        let temporary = "\(path).\(getpid()).\(UInt(pthread_self())).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            written += count
        }
        close(descriptor)
        if written == bytes.count { rename(temporary, path) } else { unlink(temporary) }
    }

    static func makeDirectories(_ path: String) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            mkdir(prefix, 0o755)
        }
    }
}
