import Foundation
import Testing

/// DeviceShim declares the CUDA ABI's structs itself (`CCudaABI`); this compiles a program
/// against both those declarations and NVIDIA's CUDA 12 headers and compares every field's
/// offset and size.
@Suite struct ABILayoutTests {
    @Test func ourStructsHaveNvidiasLayout() throws {
        let root = NativeProgram.repositoryRoot
        let nvidia = root.appendingPathComponent("third_party/cuda/include")
        try #require(FileManager.default.fileExists(atPath: nvidia.appendingPathComponent("cuda_runtime_api.h").path),
                     "NVIDIA's CUDA headers are missing from third_party/: run scripts/setup.sh")
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("abi_layout-\(UUID().uuidString)").path
        let compiled = try NativeProgram.run("/usr/bin/env", arguments: [
            "gcc", "-Wall", "-Werror", "-I", nvidia.path, "-I", root.appendingPathComponent("Sources/CCudaABI/include").path,
            NativeProgram.programURL("abi_layout.c").path, "-o", binary])
        try #require(compiled.status == 0, "gcc failed: \(compiled.stderr)")
        defer { try? FileManager.default.removeItem(atPath: binary) }
        let result = try NativeProgram.run(binary)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasPrefix("ok 102 fields"))
    }
}
