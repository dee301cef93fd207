@_exported import DeviceShimMocks

// C entry points of `include/deviceshim.h` that concern DeviceShim itself: its version and
// its log. Each call is a `debug` record naming its native caller (`trace` adds arguments).

/// DeviceShim's version, as `deviceshim_version()` reports it.
public let deviceShimVersion: StaticString = "0.1.0"

@_cdecl("deviceshim_version")
public func deviceshim_version() -> UnsafePointer<CChar> {
    RedirectionLog.shared.recordNativeCall(.debug, RedirectionRecord(api: "deviceshim_version", status: "\(deviceShimVersion)"))
    return cString(deviceShimVersion)
}

@_cdecl("deviceshim_set_log_level")
public func deviceshim_set_log_level(_ name: UnsafePointer<CChar>?) -> Int32 {
    let text = name.map { String(cString: $0) }
    let log = RedirectionLog.shared
    guard let text, let level = LogLevel(name: text) else {
        let message = "\(text.map { "\"\($0)\"" } ?? "NULL") is not one of off, error, warn, info, debug, trace; level stays \(log.level)"
        LastErrorMessage.store("deviceshim_set_log_level: \(message)")
        log.recordNativeCall(.warn, RedirectionRecord(
            api: "deviceshim_set_log_level", status: DeviceShimStatus.invalidArgument.name, message: message))
        return DeviceShimStatus.invalidArgument.rawValue
    }
    log.level = level
    log.recordNativeCall(.debug, RedirectionRecord(api: "deviceshim_set_log_level", status: DeviceShimStatus.ok.name),
                         arguments: "level=\"\(text)\"")
    return DeviceShimStatus.ok.rawValue
}

@_cdecl("deviceshim_log_level")
public func deviceshim_log_level() -> UnsafePointer<CChar> {
    let level = RedirectionLog.shared.level
    RedirectionLog.shared.recordNativeCall(.debug, RedirectionRecord(api: "deviceshim_log_level", status: level.description))
    return cString(level.name)
}

@_cdecl("deviceshim_status_string")
public func deviceshim_status_string(_ status: Int32) -> UnsafePointer<CChar> {
    let known = DeviceShimStatus(rawValue: status)
    RedirectionLog.shared.recordNativeCall(.debug, RedirectionRecord(api: "deviceshim_status_string", status: known?.name),
                                           arguments: "status=\(status)")
    return known.map { cString($0.message) } ?? cString("unknown deviceshim_status")
}

/// A string literal as `const char *` for C: literals are NUL-terminated and live forever.
func cString(_ text: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
