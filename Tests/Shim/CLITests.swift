import Foundation
import DeviceShimDevices
import Testing

/// `deviceshim-cli devices` and `policy explain`, run as a user runs them.
@Suite struct CLITests {
    static func cli(_ arguments: [String], environment: [String: String] = [:]) throws -> NativeProgram.Result {
        let path = NativeProgram.buildDirectory.appendingPathComponent("deviceshim-cli").path
        try #require(FileManager.default.fileExists(atPath: path), "\(path) is missing: build every product first")
        return try NativeProgram.run(path, arguments: arguments, environment: environment)
    }

    static func cpuModelName() throws -> String {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let line = try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") })
        return line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
    }

    @Test func devicesListsEveryBackendWithDriverNames() throws {
        let result = try Self.cli(["devices"])
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        #expect(rows.first == ["backend", "index", "name", "type", "memory"])
        let cpu = try #require(rows.first { $0.first == "cpu" })
        #expect(cpu[1] == "0")
        #expect(cpu[2] == (try Self.cpuModelName()))
        #expect(cpu[3] == "CPU")
        #expect(cpu[4].hasSuffix(" GiB"))
        let opencl = try #require(rows.first { $0.first == "opencl" })
        #expect(opencl[2].hasPrefix("pthread-") || opencl[2].hasPrefix("cpu-"))
        #expect(opencl[3] == "CPU (software)")
        let vulkan = try #require(rows.first { $0.first == "vulkan" })
        #expect(vulkan[2].hasPrefix("llvmpipe"))
        #expect(vulkan[3] == "CPU (software)")
    }

    @Test func missingDriversMeanNoDevicesNotAnError() throws {
        let result = try Self.cli(["devices"], environment: [
            "OCL_ICD_VENDORS": "/nonexistent-deviceshim", "VK_DRIVER_FILES": "/nonexistent-deviceshim.json",
            "VK_ICD_FILENAMES": "/nonexistent-deviceshim.json",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\ncpu "))
        #expect(!result.stdout.contains("\nopencl "))
        #expect(!result.stdout.contains("\nvulkan "))
        #expect(result.stdout.contains("opencl: 0 device(s) in "))
        #expect(result.stdout.contains("vulkan: 0 device(s) in "))
    }

    @Test func explainShowsTheDefaultPolicyChoosingTheCPU() throws {
        let result = try Self.cli(["policy", "explain"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "policy: cuda=gpu,cpu;mps=gpu,cpu;gpu=gpu,cpu (the default)")
        let cuda0 = try #require(lines.first { $0.hasPrefix("cuda:0 ") })
        #expect(cuda0.contains("-> cpu:0"))
        #expect(cuda0.hasSuffix("(rule cuda=gpu,cpu; gpu: no hardware GPU)"))
        #expect(lines.contains { $0.hasPrefix("cuda:1 ") && $0.contains("-> none") && $0.hasSuffix("cuda:1 does not exist: 1 device(s) of its kind") })
        #expect(lines.contains { $0.hasPrefix("mps ") && $0.contains("-> cpu:0") })
        #expect(lines.contains { $0.hasPrefix("gpu ") && $0.contains("-> cpu:0") })
    }

    /// Software devices (PoCL, lavapipe) serve only when a rule names them, and then they do;
    /// on a machine whose driver is missing, the reason says why the CPU serves instead.
    @Test(arguments: [BackendKind.opencl, .vulkan])
    func explainShowsANamedSoftwareDeviceServing(backend: BackendKind) throws {
        let result = try Self.cli(["policy", "explain", "cuda=\(backend),cpu", "--request", "cuda"])
        #expect(result.status == 0)
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("cuda ") })
        if let entry = DeviceRegistry.shared.entries(of: backend).first, entry.compute != nil {
            #expect(line.contains(" -> \(backend):0 "))
            #expect(line.contains(entry.properties.name))
            #expect(line.hasSuffix("(rule cuda=\(backend),cpu)"))
        } else {
            #expect(line.contains(" -> cpu:0 "))
            #expect(line.contains("(rule cuda=\(backend),cpu; "))
        }
    }

    @Test func aBadPolicyArgumentIsAnErrorWithItsPosition() throws {
        let result = try Self.cli(["policy", "explain", "cuda=vulkn"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("POLICY: at character 6: expected a target (cpu, opencl[:N], vulkan[:N], gpu), found \"vulkn\""))
    }

    @Test func aBadPolicyInTheEnvironmentIsOneWarningAndTheDefault() throws {
        let result = try Self.cli(["policy", "explain"], environment: ["DEVICESHIM_POLICY": "cuda=cpu;;mps=tpu"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("policy: cuda=gpu,cpu;mps=gpu,cpu;gpu=gpu,cpu (the default)"))
        let warnings = result.stderr.split(separator: "\n")
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("[deviceshim] warning: deviceshim.configuration: DEVICESHIM_POLICY: at character 15: expected a target") == true)
    }

    @Test func cudaVisibleDevicesCanHideEveryCudaDevice() throws {
        let result = try Self.cli(["policy", "explain", "--request", "cuda:0", "--request", "mps"], environment: ["CUDA_VISIBLE_DEVICES": ""])
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("CUDA_VISIBLE_DEVICES: empty, so no cuda device is visible"))
        #expect(lines.contains("cuda:0 -> none no device can serve cuda:0: rule cuda=gpu,cpu; gpu: no hardware GPU; CUDA_VISIBLE_DEVICES= leaves none"))
        #expect(lines.contains { $0.hasPrefix("mps -> cpu:0 ") })
    }

    // MARK: run

    @Test func runPreloadsTheLibraryNextToItWithTheLaunchersDropIns() throws {
        let library = try NativeProgram.libraryPath()
        let script = "echo \"$LD_PRELOAD\"; echo \"$LD_LIBRARY_PATH\"; echo \"$CUDA_VISIBLE_DEVICES|$DEVICESHIM_LOG\"; exit 3"
        let result = try Self.cli(["run", "--", "/bin/sh", "-c", script], environment: [
            "LD_LIBRARY_PATH": "/opt/elsewhere", "CUDA_VISIBLE_DEVICES": "1,0", "DEVICESHIM_LOG": "off",
        ])
        #expect(result.status == 3)
        #expect(result.stderr == "")
        #expect(result.stdout == "\(library)\n\(NativeProgram.buildDirectory.path)/deviceshim-dropins:/opt/elsewhere\n1,0|off\n")
    }

    @Test func runPassesArgumentsThroughUnchanged() throws {
        // Without --, and with options and a -- of the program's own.
        let result = try Self.cli(["run", "/bin/echo", "-n", "--help", "--", "a  b"])
        #expect(result.status == 0)
        #expect(result.stdout == "--help -- a  b")
    }

    @Test func runUsesDeviceShimLibraryAndTheFolderNextToIt() throws {
        let library = try LauncherTests.libraryCopy()
        defer { try? FileManager.default.removeItem(at: library.deletingLastPathComponent()) }
        let result = try Self.cli(["run", "--", "/bin/sh", "-c", "echo \"$LD_PRELOAD|${LD_LIBRARY_PATH%%:*}\""],
                                  environment: ["DEVICESHIM_LIBRARY": library.path])
        #expect(result.status == 0)
        #expect(result.stdout == "\(library.path)|\(library.deletingLastPathComponent().path)/deviceshim-dropins\n")
        let link = library.deletingLastPathComponent().appendingPathComponent("deviceshim-dropins/libcudart.so.12").path
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "../libdeviceshim.so")
    }

    @Test func runReachesDeviceShimFromAProgramLinkedToNVIDIAsLibcudart() throws {
        let program = try CudaLinkedProgram.compile("kernel_stub.c", lookup: .nvidiaFolder)
        let result = try Self.cli(["run", "--", program], environment: ["DEVICESHIM_LOG": "warn"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("cudaLaunchKernel from \(try NativeProgram.libraryPath())\n"))
        #expect(result.stdout.contains("\nlaunch 209\nlast 209\nlast 0\n"))
        #expect(result.stderrLines.count == 2)
        #expect(result.stderrLines.first?.hasPrefix("[deviceshim] warning: cudaLaunchKernel = cudaErrorNoKernelImageForDevice: kernel _Z9addKernelPfPKfS1_i not run") == true)
    }

    @Test func runWithoutAProgramOrLibraryIsAClearError() throws {
        let missing = try Self.cli(["run", "--", "/nonexistent-deviceshim/program"])
        #expect(missing.status == 127)
        #expect(missing.stderr == "deviceshim-cli run: /nonexistent-deviceshim/program: no such program\n")
        let notOnPath = try Self.cli(["run", "deviceshim-no-such-program"])
        #expect(notOnPath.status == 127)
        #expect(notOnPath.stderr == "deviceshim-cli run: deviceshim-no-such-program: no such program\n")
        let noLibrary = try Self.cli(["run", "--", "/bin/true"], environment: ["DEVICESHIM_LIBRARY": "/nonexistent-deviceshim/libdeviceshim.so"])
        #expect(noLibrary.status == 127)
        #expect(noLibrary.stderr == "deviceshim-cli run: DEVICESHIM_LIBRARY=/nonexistent-deviceshim/libdeviceshim.so does not exist\n")
        let nothing = try Self.cli(["run", "--"])
        #expect(nothing.status == 64)
        #expect(nothing.stderr.hasPrefix("Error: missing PROGRAM\nUsage: deviceshim-cli run -- PROGRAM [ARGS...]"))
    }
}
