import DeviceShim
import Foundation
import Synchronization
import Testing

/// The registry behind `__cudaRegister*` and the per-thread stack behind
/// `__cudaPush/PopCallConfiguration`, used directly from Swift.
@Suite struct KernelRegistryTests {
    /// A fat binary wrapper and header laid out as nvcc emits them: 16-byte header, 32 bytes.
    static let fatbinData: [UInt64] = [0x0010_0001_BA55_ED50, 32, 0, 0, 0, 0]

    @Test func aFatBinaryWrapperIsReadWithItsSize() {
        Self.fatbinData.withUnsafeBufferPointer { data in
            var wrapper: (Int32, Int32, UnsafeRawPointer?, UnsafeRawPointer?) = (0x4662_43B1, 1, UnsafeRawPointer(data.baseAddress), nil)
            let fatBinary = withUnsafeBytes(of: &wrapper) { FatBinary(wrapper: $0.baseAddress) }
            #expect(fatBinary.isRecognized)
            #expect(fatBinary.version == 1)
            #expect(fatBinary.byteCount == 48)
            #expect(fatBinary.description.hasSuffix(", 48 bytes of device code"))
        }
        var notAWrapper: (UInt32, UInt32) = (0x1234, 0)
        let other = withUnsafeBytes(of: &notAWrapper) { FatBinary(wrapper: $0.baseAddress) }
        #expect(!other.isRecognized)
        #expect(other.byteCount == nil)
        #expect(other.description.contains("not a fat binary wrapper"))
        #expect(FatBinary(wrapper: nil).description == "no fat binary (NULL)")
    }

    @Test func kernelsAndVariablesAreFoundByHostAddressUntilTheirFatBinaryIsUnregistered() {
        let registry = KernelRegistry()
        let handle = UInt(bitPattern: registry.register(FatBinary(wrapper: nil)))
        let other = UInt(bitPattern: registry.register(FatBinary(wrapper: nil)))
        #expect(!registry.isRegistrationComplete(handle))
        #expect(registry.completeRegistration(of: handle))
        #expect(registry.isRegistrationComplete(handle))
        registry.register(KernelRegistry.Kernel(name: "_Z3addPf", fatBinary: handle), hostFunction: 0x1000)
        registry.register(KernelRegistry.Kernel(name: "_Z3mulPf", fatBinary: other), hostFunction: 0x2000)
        registry.register(KernelRegistry.Variable(name: "scale", byteCount: 4, isConstant: true, fatBinary: handle), hostVariable: 0x3000)
        #expect(registry.kernel(hostFunction: 0x1000)?.name == "_Z3addPf")
        #expect(registry.variable(hostVariable: 0x3000)?.isConstant == true)
        #expect(registry.kernel(hostFunction: 0x1234) == nil)
        #expect(registry.counts == (2, 2, 1))

        #expect(registry.unregister(handle) != nil)
        #expect(registry.kernel(hostFunction: 0x1000) == nil)
        #expect(registry.variable(hostVariable: 0x3000) == nil)
        #expect(registry.kernel(hostFunction: 0x2000)?.name == "_Z3mulPf")
        // A second unregistration, or an unknown handle, changes and frees nothing.
        #expect(registry.unregister(handle) == nil)
        #expect(registry.unregister(0) == nil)
        #expect(!registry.completeRegistration(of: handle))
        #expect(registry.unregister(other) != nil)
        #expect(registry.counts == (0, 0, 0))
    }

    @Test func launchConfigurationsArePerThreadAndLastInFirstOut() {
        let outer = LaunchConfiguration(grid: LaunchDimensions(x: 4), block: LaunchDimensions(x: 256))
        let inner = LaunchConfiguration(grid: LaunchDimensions(x: 1, y: 2, z: 3), block: LaunchDimensions(x: 32, y: 8),
                                        sharedMemoryBytes: 1024, stream: 0xABC0)
        let depth = LaunchConfigurationStack.depth
        LaunchConfigurationStack.push(outer)
        LaunchConfigurationStack.push(inner)
        // Another thread sees none of this thread's configurations.
        let seenElsewhere = ThreadResult<LaunchConfiguration?>()
        let thread = Thread { seenElsewhere.set(LaunchConfigurationStack.pop()) }
        thread.start()
        #expect(seenElsewhere.wait() == .some(nil))
        #expect(LaunchConfigurationStack.pop() == inner)
        #expect(LaunchConfigurationStack.pop() == outer)
        #expect(LaunchConfigurationStack.depth == depth)
        #expect(inner.description == "grid (1,2,3), block (32,8,1), 1024 bytes shared memory, stream 0xabc0")
        #expect(LaunchDimensions(inner.grid.dim3) == inner.grid)
    }
}

/// A value set by another thread, waited for.
private final class ThreadResult<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let value = Mutex<Value?>(nil)

    func set(_ value: Value) {
        self.value.withLock { $0 = value }
        done.signal()
    }

    func wait() -> Value? {
        done.wait()
        return value.withLock { $0 }
    }
}
