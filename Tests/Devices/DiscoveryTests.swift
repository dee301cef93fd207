import Foundation
import Testing
@testable import DeviceShimDevices

// OpenCL and Vulkan discovery, checked against what `clinfo` and `vulkaninfo` print for the
// same drivers. This machine has PoCL (OpenCL) and lavapipe (Vulkan) installed; the
// cross-checks are skipped only where the tool itself is missing.

@Suite struct OpenCLDiscoveryTests {
    @Test func findsPoCLsCPUDevice() {
        let discovery = OpenCLDiscovery.discover()
        printDiscovery(discovery)
        #expect(discovery.backend == .opencl)
        #expect(discovery.note == nil)
        let pocl = discovery.devices.filter { $0.driverVersion.hasPrefix("Portable Computing Language ") }
        #expect(!pocl.isEmpty, "PoCL's device is missing from \(discovery.devices.map(\.name))")
        for device in pocl {
            #expect(device.type == .cpu)
            #expect(device.isSoftware)
            #expect(device.memoryBytes > 0)
            #expect((device.computeUnits ?? 0) > 0)
            #expect(device.maxWorkGroupSize > 0)
        }
    }

    @Test(.enabled(if: ExternalTool.path("clinfo") != nil, "clinfo is not installed"))
    func matchesClinfo() throws {
        let output = try #require(ExternalTool.run("clinfo", ["--raw"]))
        let expected = ClinfoDevice.parse(output)
        let devices = OpenCLDiscovery.discover().devices
        #expect(!expected.isEmpty, "clinfo --raw listed no device")
        #expect(devices.map(\.name) == expected.map { $0["CL_DEVICE_NAME"] ?? "?" })
        for (device, listed) in zip(devices, expected) {
            #expect(device.vendor == listed["CL_DEVICE_VENDOR"])
            // PoCL derives global memory from the host's MemTotal when each process starts it; on
            // a VM whose memory balloons that moves between this process and clinfo's, so the
            // two must agree within 10%, not to the byte.
            let listedMemory = Double(UInt64(listed["CL_DEVICE_GLOBAL_MEM_SIZE"] ?? "") ?? 0)
            #expect(abs(Double(device.memoryBytes) - listedMemory) <= 0.1 * listedMemory)
            #expect(device.computeUnits == Int(listed["CL_DEVICE_MAX_COMPUTE_UNITS"] ?? ""))
            #expect(device.maxWorkGroupSize == Int(listed["CL_DEVICE_MAX_WORK_GROUP_SIZE"] ?? ""))
            #expect(device.clockMHz == Int(listed["CL_DEVICE_MAX_CLOCK_FREQUENCY"] ?? ""))
            #expect(device.driverVersion.hasSuffix(" " + (listed["CL_DRIVER_VERSION"] ?? "?")))
            let type = listed["CL_DEVICE_TYPE"] ?? ""
            #expect((device.type == .cpu) == type.contains("CL_DEVICE_TYPE_CPU"), "clinfo says \(type)")
            #expect(device.type.isGPU == type.contains("CL_DEVICE_TYPE_GPU"), "clinfo says \(type)")
            #expect(device.isSoftware == type.contains("CL_DEVICE_TYPE_CPU"))
            // clinfo prints the configuration flags, or nothing when the device has no fp64.
            #expect(device.supportsFloat64 == !(listed["CL_DEVICE_DOUBLE_FP_CONFIG"] ?? "").isEmpty)
            let extensions = (listed["CL_DEVICE_EXTENSIONS"] ?? "").split(separator: " ")
            #expect(device.supportsFloat16 == extensions.contains("cl_khr_fp16"))
        }
    }

    @Test func missingLoaderMeansNoDevicesAndANote() throws {
        let library = "libDeviceShimMissingOpenCL.so.1"
        let discovery = OpenCLDiscovery.discover(library: library)
        #expect(discovery.devices.isEmpty)
        let note = try #require(discovery.note)
        #expect(note.contains(library), "note: \(note)")
    }

    /// A loader without any installed driver (ocl-icd pointed at an empty vendor directory, in a
    /// child process so that this process's loader stays initialised) means a note, no devices.
    @Test func noDriverMeansNoDevicesAndANote() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            setenv("OCL_ICD_VENDORS", "/nonexistent/DeviceShim/vendors", 1)
            let discovery = OpenCLDiscovery.discover()
            print("devices: \(discovery.devices.count)")
            print("note: \(discovery.note ?? "none")")
        }
        let output = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        #expect(output.contains("devices: 0\n"), "child printed: \(output)")
        #expect(output.contains("note: no OpenCL platform: libOpenCL.so.1 found no installed driver (ICD)"), "child printed: \(output)")
    }

    @Test func libraryWithoutOpenCLMeansNoDevicesAndANote() throws {
        let discovery = OpenCLDiscovery.discover(library: "libm.so.6")
        #expect(discovery.devices.isEmpty)
        let note = try #require(discovery.note)
        #expect(note.contains("libm.so.6 has no clGetPlatformIDs"), "note: \(note)")
    }
}

@Suite struct VulkanDiscoveryTests {
    @Test func findsLavapipe() throws {
        let discovery = VulkanDiscovery.discover()
        printDiscovery(discovery)
        #expect(discovery.backend == .vulkan)
        #expect(discovery.note == nil)
        let llvmpipe = try #require(discovery.devices.first { $0.name.hasPrefix("llvmpipe") },
                                    "llvmpipe is missing from \(discovery.devices.map(\.name))")
        #expect(llvmpipe.type == .cpu)
        #expect(llvmpipe.isSoftware)
        #expect(llvmpipe.vendor == "Mesa")
        #expect(llvmpipe.driverVersion.hasPrefix("llvmpipe Mesa "))
        #expect(llvmpipe.memoryBytes > 0)
        #expect(llvmpipe.maxWorkGroupSize > 0)
        #expect(!llvmpipe.subgroupSizes.isEmpty)
        #expect(llvmpipe.computeUnits == nil)
        #expect(llvmpipe.clockMHz == nil)
    }

    @Test(.enabled(if: ExternalTool.path("vulkaninfo") != nil, "vulkaninfo is not installed"))
    func matchesVulkaninfoSummary() throws {
        let output = try #require(ExternalTool.run("vulkaninfo", ["--summary"]))
        let expected = VulkaninfoDevice.parse(output)
        let devices = VulkanDiscovery.discover().devices
        #expect(!expected.isEmpty, "vulkaninfo --summary listed no device")
        #expect(devices.map(\.name) == expected.map { $0["deviceName"] ?? "?" })
        for (device, listed) in zip(devices, expected) {
            let type = listed["deviceType"] ?? ""
            let types: [String: DeviceType] = [
                "PHYSICAL_DEVICE_TYPE_DISCRETE_GPU": .discreteGPU, "PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU": .integratedGPU,
                "PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU": .virtualGPU, "PHYSICAL_DEVICE_TYPE_CPU": .cpu, "PHYSICAL_DEVICE_TYPE_OTHER": .other,
            ]
            #expect(device.type == types[type], "vulkaninfo says \(type)")
            #expect(device.isSoftware == (type == "PHYSICAL_DEVICE_TYPE_CPU" || listed["driverID"] == "DRIVER_ID_MESA_LLVMPIPE"))
            let vendorID = try #require(UInt32((listed["vendorID"] ?? "").replacingOccurrences(of: "0x", with: ""), radix: 16))
            #expect(device.vendor == VulkanDiscovery.vendorName(vendorID))
            if let driverName = listed["driverName"], let driverInfo = listed["driverInfo"] {
                #expect(device.driverVersion == "\(driverName) \(driverInfo)")
            }
        }
    }

    @Test(.enabled(if: ExternalTool.path("vulkaninfo") != nil, "vulkaninfo is not installed"))
    func matchesVulkaninfoNumbers() throws {
        let output = try #require(ExternalTool.run("vulkaninfo", []))
        let expected = VulkaninfoDevice.parseDetails(output)
        let devices = VulkanDiscovery.discover().devices
        #expect(devices.count == expected.count)
        for (device, listed) in zip(devices, expected) {
            #expect(device.maxWorkGroupSize == listed.maxComputeWorkGroupInvocations)
            #expect(device.memoryBytes == listed.deviceLocalHeapBytes)
            #expect(device.supportsFloat64 == listed.shaderFloat64)
            #expect(device.supportsFloat16 == listed.shaderFloat16)
            let subgroupSize = try #require(listed.subgroupSize)
            #expect(device.subgroupSizes.contains(subgroupSize))
            if let minimum = listed.minSubgroupSize, let maximum = listed.maxSubgroupSize {
                #expect(device.subgroupSizes.first == minimum)
                #expect(device.subgroupSizes.last == maximum)
            } else {
                #expect(device.subgroupSizes == [subgroupSize])
            }
        }
    }

    @Test func missingLoaderMeansNoDevicesAndANote() throws {
        let library = "libDeviceShimMissingVulkan.so.1"
        let discovery = VulkanDiscovery.discover(library: library)
        #expect(discovery.devices.isEmpty)
        let note = try #require(discovery.note)
        #expect(note.contains(library), "note: \(note)")
    }

    /// A loader without any driver (VK_DRIVER_FILES naming a file that does not exist, in a
    /// child process) makes vkCreateInstance fail with VK_ERROR_INCOMPATIBLE_DRIVER.
    @Test func noDriverMeansNoDevicesAndANote() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            setenv("VK_DRIVER_FILES", "/nonexistent/DeviceShim/icd.json", 1)
            setenv("VK_ICD_FILENAMES", "/nonexistent/DeviceShim/icd.json", 1)
            let discovery = VulkanDiscovery.discover()
            print("devices: \(discovery.devices.count)")
            print("note: \(discovery.note ?? "none")")
        }
        let output = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        #expect(output.contains("devices: 0\n"), "child printed: \(output)")
        #expect(output.contains("note: no Vulkan driver: vkCreateInstance returned VK_ERROR_INCOMPATIBLE_DRIVER"), "child printed: \(output)")
    }

    @Test func libraryWithoutVulkanMeansNoDevicesAndANote() throws {
        let discovery = VulkanDiscovery.discover(library: "libm.so.6")
        #expect(discovery.devices.isEmpty)
        let note = try #require(discovery.note)
        #expect(note.contains("libm.so.6 has no vkGetInstanceProcAddr"), "note: \(note)")
    }

    @Test func vendorNames() {
        #expect(VulkanDiscovery.vendorName(0x10DE) == "NVIDIA")
        #expect(VulkanDiscovery.vendorName(0x1002) == "AMD")
        #expect(VulkanDiscovery.vendorName(0x8086) == "Intel")
        #expect(VulkanDiscovery.vendorName(0x106B) == "Apple")
        #expect(VulkanDiscovery.vendorName(0x13B5) == "ARM")
        #expect(VulkanDiscovery.vendorName(0x5143) == "Qualcomm")
        #expect(VulkanDiscovery.vendorName(0x10005) == "Mesa")
        #expect(VulkanDiscovery.vendorName(0xABCD) == "0xABCD")
    }

    @Test func driverVersionsDecodeByVendor() {
        // NVIDIA 535.104.5.0 packed as 10.8.8.6 bits; Mesa 22.3.6 as VK_MAKE_API_VERSION.
        #expect(VulkanDiscovery.decodedDriverVersion((535 << 22) | (104 << 14) | (5 << 6), vendorID: 0x10DE) == "535.104.5.0")
        #expect(VulkanDiscovery.decodedDriverVersion((22 << 22) | (3 << 12) | 6, vendorID: 0x10005) == "22.3.6")
    }
}

@Suite struct DiscoveryTimingTests {
    /// Prints how long enumeration takes, three times in a row (the first may be the process's
    /// first, loading the drivers). Timings vary by machine and load, so none is asserted; that
    /// each run measured something and found the same devices is.
    @Test func printsDiscoveryTimes() {
        for (label, discover) in [("OpenCL", { OpenCLDiscovery.discover() }), ("Vulkan", { VulkanDiscovery.discover() })] {
            let runs = (0..<3).map { _ in discover() }
            print("\(label) discovery: " + runs.map { String(format: "%.2f ms", Double($0.elapsedNanoseconds) / 1e6) }.joined(separator: ", "))
            #expect(runs.allSatisfy { $0.elapsedNanoseconds > 0 })
            #expect(Set(runs.map { $0.devices.map(\.name) }).count == 1, "\(label) devices changed between runs")
        }
    }
}

// MARK: - Helpers

private func printDiscovery(_ discovery: BackendDiscovery) {
    print("\(discovery.backend): \(discovery.devices.count) device(s) in \(String(format: "%.2f", Double(discovery.elapsedNanoseconds) / 1e6)) ms"
        + (discovery.note.map { ", note: \($0)" } ?? ""))
    for (index, device) in discovery.devices.enumerated() {
        print("  \(discovery.backend):\(index) \(device)")
    }
}

/// Command-line tools found on PATH, run with stdout captured.
private enum ExternalTool {
    static func path(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The tool's standard output, or nil if it cannot be run or exits with a failure.
    static func run(_ name: String, _ arguments: [String]) -> String? {
        guard let path = path(name) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Devices in `clinfo --raw` output: lines "[SUFFIX/n]  CL_NAME  value", grouped by tag in order.
private enum ClinfoDevice {
    static func parse(_ output: String) -> [[String: String]] {
        var tags: [String] = []
        var devices: [String: [String: String]] = [:]
        for line in output.split(separator: "\n") {
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { continue }
            let tag = String(line[line.index(after: line.startIndex)..<close])
            guard let slash = tag.lastIndex(of: "/"), Int(tag[tag.index(after: slash)...]) != nil else { continue }
            let rest = line[line.index(after: close)...].drop { $0 == " " || $0 == "\t" }
            let key = String(rest.prefix { $0 != " " && $0 != "\t" })
            let value = rest.dropFirst(key.count).trimmingCharacters(in: .whitespaces)
            if devices[tag] == nil { tags.append(tag) }
            devices[tag, default: [:]][key] = value
        }
        return tags.map { devices[$0]! }
    }
}

/// Devices in `vulkaninfo` output: "GPU<n>:" sections of "key = value" lines.
private enum VulkaninfoDevice {
    static func sections(_ output: String) -> [[Substring]] {
        var sections: [[Substring]] = []
        for line in output.split(separator: "\n") {
            if line.hasPrefix("GPU"), line.hasSuffix(":"), Int(line.dropFirst(3).dropLast()) != nil {
                sections.append([])
            } else if !sections.isEmpty {
                sections[sections.count - 1].append(line)
            }
        }
        return sections
    }

    static func keyValue(_ line: Substring) -> (String, String)? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        return (line[..<equals].trimmingCharacters(in: .whitespaces), line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
    }

    /// `vulkaninfo --summary`: one dictionary per device.
    static func parse(_ output: String) -> [[String: String]] {
        sections(output).map { lines in
            var values: [String: String] = [:]
            for line in lines { if let (key, value) = keyValue(line), values[key] == nil { values[key] = value } }
            return values
        }
    }

    struct Details {
        var maxComputeWorkGroupInvocations: Int?
        var subgroupSize: Int?
        var minSubgroupSize: Int?
        var maxSubgroupSize: Int?
        var shaderFloat16 = false
        var shaderFloat64 = false
        var deviceLocalHeapBytes: UInt64 = 0
    }

    /// Full `vulkaninfo`: limits, subgroup properties, features and memory heaps per device.
    static func parseDetails(_ output: String) -> [Details] {
        sections(output).map { lines in
            var details = Details()
            var heapSize: UInt64?
            var inHeaps = false
            for line in lines {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("memoryHeaps:") { inHeaps = true; continue }
                if trimmed.hasPrefix("memoryTypes:") { inHeaps = false; continue }
                if inHeaps {
                    if trimmed.hasPrefix("size"), let (_, value) = keyValue(line) {
                        heapSize = UInt64(value.prefix { $0.isNumber })
                    } else if trimmed == "MEMORY_HEAP_DEVICE_LOCAL_BIT", let size = heapSize {
                        details.deviceLocalHeapBytes += size
                    }
                    continue
                }
                guard let (key, value) = keyValue(line) else { continue }
                switch key {
                case "maxComputeWorkGroupInvocations": details.maxComputeWorkGroupInvocations = details.maxComputeWorkGroupInvocations ?? Int(value)
                case "subgroupSize": details.subgroupSize = details.subgroupSize ?? Int(value)
                case "minSubgroupSize": details.minSubgroupSize = details.minSubgroupSize ?? Int(value)
                case "maxSubgroupSize": details.maxSubgroupSize = details.maxSubgroupSize ?? Int(value)
                case "shaderFloat16": details.shaderFloat16 = details.shaderFloat16 || value == "true"
                case "shaderFloat64": details.shaderFloat64 = details.shaderFloat64 || value == "true"
                default: break
                }
            }
            return details
        }
    }
}
