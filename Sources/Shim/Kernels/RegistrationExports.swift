import CCudaABI

// The registration calls of nvcc's host code (crt/host_runtime.h), made from static
// initialisers before `main` and from `atexit` handlers: they must succeed for a program with
// kernels to start at all. Each is a `debug` record naming its native caller; `warn` when the
// host program passes something that cannot be what nvcc generates.

@_cdecl("__cudaRegisterFatBinary")
public func __cudaRegisterFatBinary(_ fatCubin: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
    let fatBinary = FatBinary(wrapper: fatCubin)
    let handle = KernelRegistry.shared.register(fatBinary)
    RedirectionLog.shared.recordNativeCall(fatBinary.isRecognized ? .debug : .warn, RedirectionRecord(
        api: "__cudaRegisterFatBinary", bytes: fatBinary.byteCount, status: "handle \(hexAddress(UInt(bitPattern: handle)))",
        message: "\(fatBinary); its device code is not run yet"),
        arguments: "fatCubin=\(hexAddress(fatBinary.wrapperAddress))")
    return handle
}

@_cdecl("__cudaRegisterFatBinaryEnd")
public func __cudaRegisterFatBinaryEnd(_ fatCubinHandle: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
    let handle = UInt(bitPattern: fatCubinHandle)
    let known = KernelRegistry.shared.completeRegistration(of: handle)
    RedirectionLog.shared.recordNativeCall(known ? .debug : .warn, RedirectionRecord(
        api: "__cudaRegisterFatBinaryEnd", status: known ? "registered" : "unknown handle",
        message: known ? nil : "\(hexAddress(handle)) is not a registered fat binary handle; ignored"),
        arguments: "fatCubinHandle=\(hexAddress(handle))")
}

@_cdecl("__cudaUnregisterFatBinary")
public func __cudaUnregisterFatBinary(_ fatCubinHandle: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
    let handle = UInt(bitPattern: fatCubinHandle)
    let removed = KernelRegistry.shared.unregister(handle)
    RedirectionLog.shared.recordNativeCall(removed != nil ? .debug : .warn, RedirectionRecord(
        api: "__cudaUnregisterFatBinary", status: removed != nil ? "unregistered" : "unknown handle",
        message: removed.map { "\($0)" } ?? "\(hexAddress(handle)) is not a registered fat binary handle; ignored"),
        arguments: "fatCubinHandle=\(hexAddress(handle))")
}

@_cdecl("__cudaRegisterFunction")
public func __cudaRegisterFunction(
    _ fatCubinHandle: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ hostFun: UnsafePointer<CChar>?,
    _ deviceFun: UnsafeMutablePointer<CChar>?, _ deviceName: UnsafePointer<CChar>?, _ threadLimit: Int32,
    _ tid: UnsafeMutableRawPointer?, _ bid: UnsafeMutableRawPointer?, _ bDim: UnsafeMutablePointer<ds_dim3>?,
    _ gDim: UnsafeMutablePointer<ds_dim3>?, _ wSize: UnsafeMutablePointer<Int32>?
) {
    let handle = UInt(bitPattern: fatCubinHandle), hostFunction = UInt(bitPattern: hostFun)
    // nvcc passes the mangled name as both deviceFun and deviceName.
    let name = (deviceName ?? UnsafePointer(deviceFun)).map { String(cString: $0) }
    let problem: String? = if hostFunction == 0 { "no host function (NULL)" }
        else if name == nil { "no kernel name (NULL)" }
        else if KernelRegistry.shared.fatBinary(handle) == nil { "\(hexAddress(handle)) is not a registered fat binary handle" }
        else { nil }
    if problem == nil, let name {
        KernelRegistry.shared.register(KernelRegistry.Kernel(name: name, fatBinary: handle), hostFunction: hostFunction)
    }
    RedirectionLog.shared.recordNativeCall(problem == nil ? .debug : .warn, RedirectionRecord(
        api: "__cudaRegisterFunction", status: problem == nil ? "registered" : "ignored",
        message: problem.map { "\($0); kernel not registered" } ?? "kernel \(name ?? "") at host function \(hexAddress(hostFunction))"),
        arguments: "fatCubinHandle=\(hexAddress(handle)), hostFun=\(hexAddress(hostFunction)), deviceName=\(name.map { "\"\($0)\"" } ?? "NULL"), thread_limit=\(threadLimit)")
}

@_cdecl("__cudaRegisterVar")
public func __cudaRegisterVar(
    _ fatCubinHandle: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ hostVar: UnsafeMutablePointer<CChar>?,
    _ deviceAddress: UnsafeMutablePointer<CChar>?, _ deviceName: UnsafePointer<CChar>?, _ ext: Int32, _ size: Int,
    _ constant: Int32, _ global: Int32
) {
    let handle = UInt(bitPattern: fatCubinHandle), hostVariable = UInt(bitPattern: hostVar)
    let name = (deviceName ?? UnsafePointer(deviceAddress)).map { String(cString: $0) }
    let problem: String? = if hostVariable == 0 { "no host variable (NULL)" }
        else if name == nil { "no variable name (NULL)" }
        else if KernelRegistry.shared.fatBinary(handle) == nil { "\(hexAddress(handle)) is not a registered fat binary handle" }
        else { nil }
    if problem == nil, let name {
        KernelRegistry.shared.register(KernelRegistry.Variable(name: name, byteCount: size, isConstant: constant != 0, fatBinary: handle),
                                       hostVariable: hostVariable)
    }
    RedirectionLog.shared.recordNativeCall(problem == nil ? .debug : .warn, RedirectionRecord(
        api: "__cudaRegisterVar", bytes: size, status: problem == nil ? "registered" : "ignored",
        message: problem.map { "\($0); variable not registered" }
            ?? "\(constant != 0 ? "__constant__" : "__device__") variable \(name ?? "") at host address \(hexAddress(hostVariable))"),
        arguments: "fatCubinHandle=\(hexAddress(handle)), hostVar=\(hexAddress(hostVariable)), deviceName=\(name.map { "\"\($0)\"" } ?? "NULL"), ext=\(ext), size=\(size), constant=\(constant), global=\(global)")
}
