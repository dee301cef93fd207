import CCudaABI

/// The sizes of a grid or a block (`dim3`).
public struct LaunchDimensions: Sendable, Hashable, CustomStringConvertible {
    public var x: UInt32
    public var y: UInt32
    public var z: UInt32

    public init(x: UInt32, y: UInt32 = 1, z: UInt32 = 1) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// The sizes of a C `dim3`.
    public init(_ dim3: ds_dim3) {
        self.init(x: dim3.x, y: dim3.y, z: dim3.z)
    }

    /// As a C `dim3`.
    public var dim3: ds_dim3 { ds_dim3(x: x, y: y, z: z) }

    /// "(4,1,1)".
    public var description: String { "(\(x),\(y),\(z))" }
}

/// A kernel launch's configuration: what `kernel<<<grid, block, sharedMemory, stream>>>` says.
public struct LaunchConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var grid: LaunchDimensions
    public var block: LaunchDimensions
    /// Bytes of dynamic shared memory per block.
    public var sharedMemoryBytes: Int
    /// The `cudaStream_t` as its address (0 is the legacy default stream).
    public var stream: UInt

    public init(grid: LaunchDimensions, block: LaunchDimensions, sharedMemoryBytes: Int = 0, stream: UInt = 0) {
        self.grid = grid
        self.block = block
        self.sharedMemoryBytes = sharedMemoryBytes
        self.stream = stream
    }

    /// "grid (4,1,1), block (256,1,1), 0 bytes shared memory, default stream".
    public var description: String {
        "grid \(grid), block \(block), \(sharedMemoryBytes) bytes shared memory, "
            + (stream == 0 ? "default stream" : "stream \(hexAddress(stream))")
    }
}

/// The calling thread's stack of launch configurations, as CUDA's runtime keeps it:
/// `kernel<<<...>>>(args)` pushes one (`__cudaPushCallConfiguration`), and the kernel's host
/// stub pops it (`__cudaPopCallConfiguration`) before `cudaLaunchKernel`. A stack rather than
/// one slot, because evaluating a launch's arguments may itself launch a kernel.
///
/// Each thread's stack lives in thread-specific storage, released when the thread exits; only
/// its own thread touches it, so it needs no lock.
public enum LaunchConfigurationStack {
    /// Pushes `configuration` on the calling thread's stack.
    public static func push(_ configuration: LaunchConfiguration) {
        ThreadLaunchConfigurations.current.stack.append(configuration)
    }

    /// Pops the calling thread's most recent configuration; nil if its stack is empty.
    public static func pop() -> LaunchConfiguration? {
        ThreadLaunchConfigurations.current.stack.popLast()
    }

    /// How many configurations the calling thread has pushed and not popped.
    public static var depth: Int {
        ThreadLaunchConfigurations.current.stack.count
    }
}

/// One thread's stack (in a `PerThreadObject`, released when the thread exits).
private final class ThreadLaunchConfigurations {
    var stack: [LaunchConfiguration] = []

    private static let holders = PerThreadObject { ThreadLaunchConfigurations() }

    /// The calling thread's stack.
    static var current: ThreadLaunchConfigurations { holders.current }
}
