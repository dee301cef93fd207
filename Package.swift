// swift-tools-version:6.1
// DeviceShim: CUDA / MPS requests redirected to the compute a machine really has.
// Layers (see ../shared/DESIGN.md), each importing only those below it:
//   Shim -> Mocks -> Tensor -> Devices -> Logging
// Module names carry a `DeviceShim` prefix so that none clashes with swift-log's `Logging`.
// Keep each target's `dependencies:` on one line: tooling reads `path:` from these calls.
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "DeviceShim",
    products: [
        // `libdeviceshim.so`: the preloadable product (LD_PRELOAD / drop-in sonames).
        .library(name: "deviceshim", type: .dynamic, targets: ["DeviceShim"]),
        // The Swift library, for programs that link DeviceShim with an explicit policy.
        .library(name: "DeviceShimKit", targets: ["DeviceShim"]),
        // SwiftPM refuses two products of one name, so the command is `deviceshim-cli`.
        .executable(name: "deviceshim-cli", targets: ["DeviceShimCLI"]),
        .executable(name: "deviceshim-benchmarks", targets: ["DeviceShimBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        // C: native caller capture (libunwind) and symbolisation (dladdr, libdw), loaded with
        // dlopen(RTLD_LOCAL) so their symbols never leak into the host program.
        .target(name: "CNativeCaller", path: "Sources/CNativeCaller", linkerSettings: [.linkedLibrary("dl")]),
        // C: OpenBLAS, the OpenCL ICD loader and the Vulkan loader, each opened with dlopen at
        // first use (a missing library means that backend has no devices, not a failure).
        .target(name: "COpenBLAS", path: "Sources/COpenBLAS", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "COpenCL", path: "Sources/COpenCL", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CVulkan", path: "Sources/CVulkan", linkerSettings: [.linkedLibrary("dl")]),
        // C: float32 streams (element-wise, sum) cloned for AVX-512, AVX2 and baseline x86-64 and
        // picked at run time: Swift code is compiled for baseline x86-64 only.
        .target(name: "CCPUKernels", path: "Sources/CCPUKernels"),
        // The C types of the CUDA runtime / cuBLAS ABIs the Shim's exports take (our own declarations).
        .target(name: "CCudaABI", path: "Sources/CCudaABI"),

        .target(name: "DeviceShimLogging", dependencies: ["CNativeCaller", .product(name: "Logging", package: "swift-log")], path: "Sources/Logging", swiftSettings: swiftSettings),
        .target(name: "DeviceShimDevices", dependencies: ["DeviceShimLogging", "COpenBLAS", "CCPUKernels", "COpenCL", "CVulkan"], path: "Sources/Devices", swiftSettings: swiftSettings),
        .target(name: "DeviceShimTensor", dependencies: ["DeviceShimDevices"], path: "Sources/Tensor", swiftSettings: swiftSettings),
        .target(name: "DeviceShimMocks", dependencies: ["DeviceShimTensor"], path: "Sources/Mocks", swiftSettings: swiftSettings),
        // The version script defines the symbol versions NVIDIA's libraries do (`libcudart.so.12`, …),
        // so the drop-in sonames the launcher makes satisfy binaries linked against them.
        .target(name: "DeviceShim", dependencies: ["DeviceShimMocks", "CCudaABI"], path: "Sources/Shim", swiftSettings: swiftSettings, linkerSettings: [.unsafeFlags(["-Xlinker", "--version-script=\(Context.packageDirectory)/preload/deviceshim.map"])]),

        .executableTarget(name: "DeviceShimCLI", dependencies: ["DeviceShim", .product(name: "ArgumentParser", package: "swift-argument-parser")], path: "Sources/CLI", swiftSettings: swiftSettings),
        .executableTarget(name: "DeviceShimBenchmarks", dependencies: ["DeviceShim", .product(name: "Logging", package: "swift-log")], path: "Benchmarks", exclude: ["peers"], swiftSettings: swiftSettings),

        .testTarget(name: "DeviceShimLoggingTests", dependencies: ["DeviceShimLogging", .product(name: "Logging", package: "swift-log")], path: "Tests/Logging", swiftSettings: swiftSettings),
        .testTarget(name: "DeviceShimDevicesTests", dependencies: ["DeviceShimDevices"], path: "Tests/Devices", swiftSettings: swiftSettings),
        .testTarget(name: "DeviceShimMocksTests", dependencies: ["DeviceShimMocks"], path: "Tests/Mocks", swiftSettings: swiftSettings),
        .testTarget(name: "DeviceShimTests", dependencies: ["DeviceShim"], path: "Tests/Shim", exclude: ["Programs"], swiftSettings: swiftSettings),
    ]
)
