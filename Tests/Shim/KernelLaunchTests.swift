import Foundation
import Testing

/// A C program doing what nvcc's host code does (Programs/kernel_stub.c), linked to NVIDIA's
/// real libcudart.so.12 and run under the launcher: it registers its kernel, launches it, and
/// DeviceShim answers cudaErrorNoKernelImageForDevice and names the kernel and its caller.
@Suite struct KernelLaunchTests {
    static let launcher = NativeProgram.repositoryRoot.appendingPathComponent("preload/deviceshim-run").path

    @Test func aLaunchFailsWithNoKernelImageAndItsRecordNamesTheKernelAndTheStub() throws {
        let program = try CudaLinkedProgram.compile("kernel_stub.c", lookup: .nvidiaFolder)
        let library = try NativeProgram.libraryPath()
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-kernels-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: logFile) }
        let result = try NativeProgram.run(Self.launcher, arguments: [program], environment: [
            "DEVICESHIM_LIBRARY": library, "DEVICESHIM_LOG": "debug", "DEVICESHIM_LOG_FORMAT": "json", "DEVICESHIM_LOG_FILE": logFile,
        ])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // NVIDIA's library is loaded (through the RPATH), and the calls go to DeviceShim anyway.
        #expect(lines.first == "cudaLaunchKernel from \(library)")
        #expect(lines.dropFirst().first == "libcudart.so.12 is \(CudaLinkedProgram.nvidiaLibraries)/libcudart.so.12")
        #expect(Array(lines.dropFirst(2).prefix(5)) == [
            "push 0", "pop 0 grid 4,1,1 block 256,1,1 shared 0 stream (nil)", "launch 209", "last 209", "last 0",
        ])
        let unregistered = try #require(lines.first { $0.hasPrefix("unregistered ") })
        let address = unregistered.split(separator: " ")[1]
        #expect(unregistered.hasSuffix(" launch 209"))
        #expect(lines.last == "last 209")

        let records = try NativeProgram.jsonLines(try String(contentsOfFile: logFile, encoding: .utf8))
        #expect(records.compactMap { $0["api"] as? String } == [
            "__cudaRegisterFatBinary", "__cudaRegisterFunction", "__cudaRegisterVar", "__cudaRegisterFatBinaryEnd",
            "__cudaPushCallConfiguration", "__cudaPopCallConfiguration", "cudaLaunchKernel", "cudaGetLastError", "cudaGetLastError",
            "cudaLaunchKernel", "cudaGetLastError", "__cudaUnregisterFatBinary",
        ])
        let launches = records.filter { $0["api"] as? String == "cudaLaunchKernel" }
        let launch = try #require(launches.first)
        #expect(launch["level"] as? String == "warn")
        #expect(launch["status"] as? String == "cudaErrorNoKernelImageForDevice")
        let message = try #require(launch["message"] as? String)
        #expect(message.contains("kernel _Z9addKernelPfPKfS1_i not run (grid (4,1,1), block (256,1,1), 0 bytes shared memory, default stream)"))
        #expect(message.contains("does not redirect device code yet"))
        let caller = try #require(launch["caller"] as? [String: Any])
        #expect(caller["symbol"] as? String == "__device_stub__Z9addKernelPfPKfS1_i")
        #expect(caller["object"] as? String == program)
        #expect((caller["file"] as? String)?.hasSuffix("Tests/Shim/Programs/kernel_stub.c") == true)
        #expect(caller["line"] as? Int == (try NativeProgram.line(of: "CALL: launch", in: "kernel_stub.c")))
        #expect((launches.last?["message"] as? String)?.contains("kernel \(address) (not a registered kernel) not run") == true)

        let registration = records.prefix(4)
        #expect(registration.allSatisfy { $0["level"] as? String == "debug" })
        #expect(registration.allSatisfy { ($0["caller"] as? [String: Any])?["symbol"] as? String == "__sti____cudaRegisterAll" })
        #expect(registration.first?["bytes"] as? Int == 48)
        #expect((registration.dropFirst().first?["message"] as? String)?.hasPrefix("kernel _Z9addKernelPfPKfS1_i at host function 0x") == true)
        #expect(records.last?["level"] as? String == "debug")
        #expect((records.last?["caller"] as? [String: Any])?["symbol"] as? String == "__cudaUnregisterBinaryUtil")
    }

    @Test func cuda12sDefaultLaunchPathNamesTheKernelThroughItsHandle() throws {
        let program = try CudaLinkedProgram.compile("kernel_stub.c", lookup: .nvidiaFolder)
        let result = try NativeProgram.run(Self.launcher, arguments: [program, "cuda12"], environment: [
            "DEVICESHIM_LIBRARY": try NativeProgram.libraryPath(), "DEVICESHIM_LOG": "warn", "DEVICESHIM_LOG_FORMAT": "json",
        ])
        #expect(result.status == 0)
        #expect(result.stdout == "get kernel 0 host function\nlaunch 209\nget unregistered 98\nlast 98\n")
        let records = try NativeProgram.jsonLines(result.stderr)
        #expect(records.compactMap { $0["api"] as? String } == ["__cudaLaunchKernel", "__cudaGetKernel"])
        let launch = try #require(records.first)
        #expect((launch["message"] as? String)?.hasPrefix("kernel _Z9addKernelPfPKfS1_i not run (grid (8,2,1), block (128,1,1), 64 bytes shared memory, default stream)") == true)
        let caller = try #require(launch["caller"] as? [String: Any])
        #expect(caller["symbol"] as? String == "cuda12_stub_addKernel")
        #expect(caller["line"] as? Int == (try NativeProgram.line(of: "CALL: cuda12 launch", in: "kernel_stub.c")))
        #expect(records.last?["status"] as? String == "cudaErrorInvalidDeviceFunction")
    }

    @Test func nullArgumentsGetErrorsNotCrashes() throws {
        let program = try CudaLinkedProgram.compile("kernel_stub.c", lookup: .nvidiaFolder)
        let result = try NativeProgram.run(Self.launcher, arguments: [program, "null"], environment: [
            "DEVICESHIM_LIBRARY": try NativeProgram.libraryPath(), "DEVICESHIM_LOG": "off",
        ])
        #expect(result.status == 0)
        #expect(result.stdout == """
            register NULL -> handle
            pop empty 52
            push 0
            pop into NULL 0
            launch NULL 209
            last 209

            """)
        #expect(result.stderr == "")
    }

    @Test func nullArgumentsAreWarningsNamingWhatWasMissing() throws {
        let program = try CudaLinkedProgram.compile("kernel_stub.c", lookup: .nvidiaFolder)
        let result = try NativeProgram.run(Self.launcher, arguments: [program, "null"], environment: [
            "DEVICESHIM_LIBRARY": try NativeProgram.libraryPath(), "DEVICESHIM_LOG": "warn",
        ])
        let warnings = result.stderrLines.map { $0.components(separatedBy: " by ").first ?? $0 }
        #expect(warnings == [
            "[deviceshim] warning: __cudaRegisterFatBinary = handle 0x\(try #require(handleAddress(result.stderrLines.first))): no fat binary (NULL); its device code is not run yet",
            "[deviceshim] warning: __cudaRegisterFunction = ignored: no host function (NULL); kernel not registered",
            "[deviceshim] warning: __cudaRegisterFunction = ignored: no kernel name (NULL); kernel not registered",
            "[deviceshim] warning: __cudaRegisterVar 0 B = ignored: no host variable (NULL); variable not registered",
            "[deviceshim] warning: __cudaRegisterFatBinaryEnd = unknown handle: 0x0 is not a registered fat binary handle; ignored",
            "[deviceshim] warning: __cudaUnregisterFatBinary = unknown handle: 0x0 is not a registered fat binary handle; ignored",
            "[deviceshim] warning: __cudaUnregisterFatBinary = unknown handle: 0x\(try #require(handleAddress(result.stderrLines.first))) is not a registered fat binary handle; ignored",
            "[deviceshim] warning: __cudaPopCallConfiguration = cudaErrorMissingConfiguration: no launch configuration was pushed on this thread",
            "[deviceshim] warning: cudaLaunchKernel = cudaErrorNoKernelImageForDevice: kernel NULL not run (grid (1,1,1), block (1,1,1), 0 bytes shared memory, default stream): DeviceShim does not redirect device code yet",
        ])
    }

    /// The hex digits of "handle 0x…" in a record line.
    private func handleAddress(_ line: String?) -> String? {
        guard let line, let range = line.range(of: "handle 0x") else { return nil }
        return String(line[range.upperBound...].prefix { $0.isHexDigit })
    }
}
