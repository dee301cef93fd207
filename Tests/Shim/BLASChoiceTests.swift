#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Which BLAS the CPU backend's GEMM runs on (`DEVICESHIM_BLAS`, `DEVICESHIM_MKL_LIBRARY`;
/// see Sources/CBLAS/include/blas_loader.h), read from the `blas` record that
/// `deviceshim-cli devices` writes at debug level.
@Suite struct BLASChoiceTests {
    /// The Intel oneMKL scripts/setup.sh unpacks, if it has.
    static let mkl: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("third_party/mkl/lib/libmkl_rt.so.2").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    static var intelCPU: Bool {
        ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").contains("GenuineIntel")
    }

    /// The `blas -> cpu:0` record of a `devices` run with `environment`.
    static func blasRecord(_ environment: [String: String]) throws -> String {
        let result = try CLITests.cli(["devices"], environment: environment.merging(["DEVICESHIM_LOG": "debug"]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        return String(try #require(result.stderr.split(separator: "\n").first { $0.contains("blas -> cpu:0: ") }))
    }

    @Test func openBLASWhenAskedFor() throws {
        var environment = ["DEVICESHIM_BLAS": "openblas"]
        environment["DEVICESHIM_MKL_LIBRARY"] = Self.mkl
        let record = try Self.blasRecord(environment)
        #expect(record.contains("gemm by OpenBLAS 0."), "\(record)")
        #expect(!record.contains("MKL"), "\(record)")
    }

    @Test func missingMKLFallsBackToOpenBLASAndSaysWhy() throws {
        let record = try Self.blasRecord(["DEVICESHIM_BLAS": "mkl", "DEVICESHIM_MKL_LIBRARY": "/nonexistent-deviceshim/libmkl_rt.so.2"])
        #expect(record.contains("gemm by OpenBLAS 0."), "\(record)")
        #expect(record.contains("MKL not used (/nonexistent-deviceshim/libmkl_rt.so.2 could not be loaded: "), "\(record)")
        #expect(record.contains("; OpenBLAS instead."), "\(record)")
    }

    @Test func anUnknownChoiceIsTakenAsAuto() throws {
        let record = try Self.blasRecord(["DEVICESHIM_BLAS": "fastest", "DEVICESHIM_MKL_LIBRARY": "/nonexistent-deviceshim/libmkl_rt.so.2"])
        #expect(record.contains("DEVICESHIM_BLAS=fastest is not mkl, openblas or auto; taken as auto."), "\(record)")
        #expect(record.contains("gemm by OpenBLAS 0."), "\(record)")
        // auto asks for MKL on Intel CPUs only.
        #expect(record.contains("MKL not used (") == Self.intelCPU, "\(record)")
    }

    @Test(.enabled(if: mkl != nil, "scripts/setup.sh unpacks Intel oneMKL on x86-64"))
    func mklWhenAskedForOrOnIntelCPUs() throws {
        let mkl = try #require(Self.mkl)
        for choice in ["mkl", "auto"] where choice == "mkl" || Self.intelCPU {
            let record = try Self.blasRecord(["DEVICESHIM_BLAS": choice, "DEVICESHIM_MKL_LIBRARY": mkl])
            #expect(record.contains("gemm by Intel(R) oneAPI Math Kernel Library Version 2025.2"), "\(choice): \(record)")
            #expect(record.contains("Intel oneMKL from \(mkl)."), "\(choice): \(record)")
        }
    }

    /// A threading layer chosen in the environment whose part is not unpacked (setup.sh
    /// unpacks the GNU OpenMP layer only) would end the process just the same.
    @Test(.enabled(if: mkl != nil, "scripts/setup.sh unpacks Intel oneMKL on x86-64"))
    func aThreadingLayerThatIsNotThereFallsBack() throws {
        let mkl = try #require(Self.mkl)
        let base = ["DEVICESHIM_BLAS": "mkl", "DEVICESHIM_MKL_LIBRARY": mkl]
        let intel = try Self.blasRecord(base.merging(["MKL_THREADING_LAYER": "intel"]) { $1 })
        #expect(intel.contains("libmkl_intel_thread.so.2 is missing); OpenBLAS instead."), "\(intel)")
        let unknown = try Self.blasRecord(base.merging(["MKL_THREADING_LAYER": "fibers"]) { $1 })
        #expect(unknown.contains("MKL_THREADING_LAYER names no layer DeviceShim knows (GNU, INTEL, SEQUENTIAL, TBB)); OpenBLAS instead."),
                "\(unknown)")
    }

    /// fork_after_gemm.c multiplies through the C API, forks, runs an OpenMP loop of its own in
    /// the child and multiplies again in the parent. While MKL ran GEMMs on the program's own
    /// thread with GNU OpenMP's threads, the child hung.
    @Test(.enabled(if: mkl != nil, "scripts/setup.sh unpacks Intel oneMKL on x86-64"))
    func aForkedChildRunsOpenMPAfterGEMM() throws {
        let mkl = try #require(Self.mkl)
        let binary = try NativeProgram.compile("fork_after_gemm.c", flags: ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-fopenmp"])
        for blas in ["mkl", "openblas"] {
            let result = try NativeProgram.run(binary, environment: ["DEVICESHIM_BLAS": blas, "DEVICESHIM_MKL_LIBRARY": mkl,
                                                                     "DEVICESHIM_LOG": "debug"], timeout: 120)
            #expect(result.status == 0 && !result.timedOut, "\(blas): \(result.stdout)\(result.stderr)")
            #expect(result.stdoutLines == ["128 x 128 product ok", "512 x 512 product ok", "child: an OpenMP loop ran on "
                + "\(sysconf(Int32(_SC_NPROCESSORS_ONLN))) threads", "child exited 0", "128 x 128 product ok"], "\(blas)")
            #expect(result.stderr.contains(blas == "mkl" ? "gemm by Intel(R) oneAPI Math Kernel Library" : "gemm by OpenBLAS"))
        }
        // Intel's OpenMP layer in a program with GNU OpenMP computed wrong products: refused.
        let intel = try NativeProgram.run(binary, environment: ["DEVICESHIM_BLAS": "mkl", "DEVICESHIM_MKL_LIBRARY": mkl,
                                                                "MKL_THREADING_LAYER": "intel", "DEVICESHIM_LOG": "debug"], timeout: 120)
        #expect(intel.status == 0, "\(intel.stdout)\(intel.stderr)")
        #expect(intel.stderr.contains("MKL not used (MKL_THREADING_LAYER=intel in a program with GNU OpenMP loaded: MKL's "
            + "threads would take GNU's thread numbers and compute wrong products); OpenBLAS instead."), "\(intel.stderr)")
    }

    /// libmkl_rt loads its other parts when first used and ends the process if one is missing
    /// ("Intel oneMKL FATAL ERROR: Cannot load ..."): the loader checks for them first.
    @Test(.enabled(if: mkl != nil, "scripts/setup.sh unpacks Intel oneMKL on x86-64"))
    func anIncompleteMKLFallsBackInsteadOfEndingTheProcess() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deviceshim-mkl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let alone = folder.appendingPathComponent("libmkl_rt.so.2").path
        try FileManager.default.copyItem(atPath: try #require(Self.mkl), toPath: alone)
        let record = try Self.blasRecord(["DEVICESHIM_BLAS": "mkl", "DEVICESHIM_MKL_LIBRARY": alone])
        #expect(record.contains("MKL not used (\(folder.path)/libmkl_core.so.2 is missing); OpenBLAS instead."), "\(record)")
        #expect(record.contains("gemm by OpenBLAS 0."), "\(record)")
    }
}
