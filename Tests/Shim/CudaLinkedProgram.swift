import Foundation
import Testing

/// C programs built as a CUDA user's are: against NVIDIA's CUDA 12 headers and linked to
/// NVIDIA's real `libcudart.so.12` (both unpacked into third_party/cuda by scripts/setup.sh).
enum CudaLinkedProgram {
    /// The folder holding NVIDIA's real libcudart.so.12.
    static let nvidiaLibraries = CudaProgram.cudaFolder.appendingPathComponent("lib").path

    /// How the program finds NVIDIA's libcudart.so.12 at run time.
    enum LibraryLookup {
        /// A DT_RPATH to NVIDIA's folder, which the loader searches before LD_LIBRARY_PATH:
        /// NVIDIA's library is loaded and DeviceShim only interposes on it.
        case nvidiaFolder
        /// No path: the loader searches LD_LIBRARY_PATH and the system folders only.
        case searchPath
    }

    /// Compiles `source` as `CudaProgram` compiles a test program, at -O0 so each call keeps
    /// its line; returns the binary's path.
    static func compile(_ source: String, lookup: LibraryLookup) throws -> String {
        try CudaProgram.compile(CudaProgram.Program(source: source, keepsLines: true), rpathToNVIDIA: lookup == .nvidiaFolder)
    }

    /// Whether `library` defines the symbol version `libcudart.so.12`, without which the loader
    /// refuses it in place of NVIDIA's libcudart.so.12 (see preload/deviceshim.map).
    static func definesCudartVersion(_ library: String) throws -> Bool {
        let result = try NativeProgram.run("/usr/bin/env", arguments: ["readelf", "--version-info", "--wide", library])
        try #require(result.status == 0, "readelf failed: \(result.stderr)")
        guard let definitions = result.stdout.components(separatedBy: "Version definition section").dropFirst().first else { return false }
        return definitions.components(separatedBy: "Version needs section").first?.contains("Name: libcudart.so.12") == true
    }
}
