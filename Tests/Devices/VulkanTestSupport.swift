import CVulkanShaders
import Testing
@testable import DeviceShimDevices

/// The machine's first computing Vulkan device (lavapipe on machines without a GPU); nil,
/// and every Vulkan test skipped, when there is none.
enum VulkanTests {
    static let device: VulkanDevice? = VulkanBackend.firstComputeDevice
    static var available: Bool { device != nil }

    static func requireDevice() throws -> VulkanDevice { try #require(device) }
}

/// A new Vulkan buffer holding a copy of `cpu`'s bytes.
func vulkanMirror(of cpu: CPUBuffer, on device: VulkanDevice, queue: any DeviceQueue) throws -> VulkanBuffer {
    let buffer = try #require(try device.allocate(byteCount: cpu.byteCount) as? VulkanBuffer)
    try queue.copy(from: UnsafeRawPointer(cpu.baseAddress), to: BufferRegion(buffer))
    return buffer
}

/// Copies `bytes` into the start of `buffer` through `queue` and waits for the copy: host
/// memory named by a copy must outlive it, and `bytes` is only valid during the caller's call.
func copyIn(_ bytes: UnsafeRawBufferPointer, to buffer: any DeviceBuffer, queue: any DeviceQueue) throws {
    try queue.copy(from: bytes.baseAddress!, to: BufferRegion(buffer, byteCount: bytes.count))
    try queue.synchronize()
}

/// All bytes of `buffer`, read through `queue` (synchronised).
func contents(of buffer: any DeviceBuffer, queue: any DeviceQueue) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: buffer.byteCount)
    try bytes.withUnsafeMutableBytes { try queue.copy(from: BufferRegion(buffer), to: $0.baseAddress!) }
    try queue.synchronize()
    return bytes
}

/// Element `index` of `dtype` in raw bytes, as a Double (bool as 0 / 1).
func element(_ dtype: DType, at index: Int, in bytes: [UInt8]) -> Double {
    bytes.withUnsafeBytes { raw in
        let offset = index * dtype.byteSize
        switch dtype {
        case .float32: return Double(raw.loadUnaligned(fromByteOffset: offset, as: Float.self))
        case .float64: return raw.loadUnaligned(fromByteOffset: offset, as: Double.self)
        case .float16: return Double(raw.loadUnaligned(fromByteOffset: offset, as: Float16.self))
        case .bfloat16: return Double(Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)) << 16))
        case .int32: return Double(raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
        case .int64: return Double(raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
        case .uint8: return Double(raw[offset])
        case .bool: return raw[offset] == 0 ? 0 : 1
        }
    }
}

/// Whether a Vulkan result matches the CPU's: bit-exact bytes, both NaN, or (when `tolerant`)
/// within a few units in the last place of `dtype` (GPU math functions are not correctly rounded).
func matches(_ vulkan: Double, _ cpu: Double, _ dtype: DType, tolerant: Bool) -> Bool {
    if vulkan == cpu || (vulkan.isNaN && cpu.isNaN) { return true }
    guard tolerant, vulkan.isFinite, cpu.isFinite else { return false }
    let relative: Double = switch dtype {
    case .float64: 1e-12
    case .float32: 2e-5
    case .float16: 2e-3
    case .bfloat16: 1.6e-2
    default: 0
    }
    return (vulkan - cpu).magnitude <= relative * max(cpu.magnitude, 1e-3)
}

/// Runs `work` on the CPU over `inputs` and `output`, and on the Vulkan device over mirrors of
/// them (same offsets and strides), then compares every output element (and that bytes
/// outside the output operand are untouched on both). Returns the mismatches, described.
func differencesFromCPU(
    inputs: [TestTensor], output: TestTensor, tolerant: Bool,
    _ work: (any DeviceQueue, [StridedOperand], StridedOperand) throws -> Void
) throws -> [String] {
    let device = try VulkanTests.requireDevice()
    let queue = try device.makeQueue()
    let cpuQueue = try CPUDevice.shared.makeQueue()
    func mirrored(_ tensor: TestTensor) throws -> StridedOperand {
        var operand = tensor.operand
        operand.buffer = try vulkanMirror(of: tensor.buffer, on: device, queue: queue)
        return operand
    }
    let vulkanInputs = try inputs.map(mirrored)
    let vulkanOutput = try mirrored(output)
    try work(queue, vulkanInputs, vulkanOutput)
    let vulkanBytes = try contents(of: vulkanOutput.buffer, queue: queue)
    try work(cpuQueue, inputs.map(\.operand), output.operand)
    try cpuQueue.synchronize()
    let cpuBytes = Array(UnsafeRawBufferPointer(start: output.buffer.baseAddress, count: output.buffer.byteCount))
    var differences: [String] = []
    let dtype = output.dtype
    var inside = Set<Int>()
    for (logical, index) in output.elementIndices.enumerated() {
        for byte in 0..<dtype.byteSize { inside.insert(index * dtype.byteSize + byte) }
        let (v, c) = (element(dtype, at: index, in: vulkanBytes), element(dtype, at: index, in: cpuBytes))
        if !matches(v, c, dtype, tolerant: tolerant), differences.count < 5 {
            differences.append("element \(logical): vulkan \(v), cpu \(c)")
        }
    }
    for byte in cpuBytes.indices where !inside.contains(byte) && cpuBytes[byte] != vulkanBytes[byte] {
        differences.append("byte \(byte) outside the output changed")
        break
    }
    return differences
}

/// SPIR-V capability numbers the tests look for.
enum SpirvCapability {
    static let float64: UInt32 = 10
    static let int64: UInt32 = 11
}

/// The capabilities the SPIR-V of `shader` declares (its OpCapability instructions); empty,
/// with an issue recorded, when there is no SPIR-V for it.
func spirvCapabilities(of shader: ds_vulkan_shader_id) -> [UInt32] {
    var byteCount = 0
    guard let code = ds_vulkan_shader_code(shader, &byteCount) else {
        Issue.record("no SPIR-V for shader \(shader.rawValue)")
        return []
    }
    let words = Array(UnsafeBufferPointer(start: code, count: byteCount / 4))
    var capabilities: [UInt32] = []
    var at = 5  // after the header
    while at < words.count {
        let (length, opcode) = (Int(words[at] >> 16), words[at] & 0xFFFF)
        if opcode == 17 { capabilities.append(words[at + 1]) }  // OpCapability
        at += max(length, 1)
    }
    return capabilities
}
