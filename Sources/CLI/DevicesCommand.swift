import ArgumentParser
import DeviceShim

/// `deviceshim-cli devices`: every device of every backend present, one line each.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List every device DeviceShim finds: backend, index, name, type, memory.")

    @Flag(name: .shortAndLong, help: "Also show each device's properties and how long discovery took.")
    var verbose = false

    func run() throws {
        let registry = DeviceRegistry.shared
        var rows = [["backend", "index", "name", "type", "memory"]]
        for entry in registry.entries {
            let properties = entry.properties
            rows.append([entry.id.backend.rawValue, "\(entry.id.index)", properties.name,
                         properties.type.description + (properties.isSoftware ? " (software)" : ""),
                         formatBytes(properties.memoryBytes)])
        }
        print(table(rows))
        for backend in registry.backends {
            let discovery = backend.discovery
            if discovery.devices.isEmpty || verbose {
                let time = RecordText.durationText(discovery.elapsedNanoseconds)
                print("\(discovery.backend): \(discovery.devices.count) device(s) in \(time)" + (discovery.note.map { "; \($0)" } ?? ""))
            }
        }
        guard verbose else { return }
        for entry in registry.entries {
            let p = entry.properties
            print("""

                \(entry.id): \(p.name)
                  vendor \(p.vendor), driver \(p.driverVersion)
                  compute units \(p.computeUnits.map(String.init) ?? "not reported"), max work-group \(p.maxWorkGroupSize), \
                subgroup sizes \(p.subgroupSizes.isEmpty ? "not reported" : p.subgroupSizes.map(String.init).joined(separator: ","))
                  fp16 \(p.supportsFloat16 ? "yes" : "no"), fp64 \(p.supportsFloat64 ? "yes" : "no"), \
                clock \(p.clockMHz.map { "\($0) MHz" } ?? "not reported")
                  computes here: \(entry.compute != nil ? "yes" : "no (\(entry.whyNoCompute ?? "no compute backend"))")
                """)
        }
    }
}

/// Left-aligned columns separated by two spaces.
func table(_ rows: [[String]]) -> String {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
        }.joined(separator: "  ").trimmingWhitespace()
    }.joined(separator: "\n")
}

/// `23.4 GiB`, `512.0 MiB`, `64 B`.
func formatBytes(_ bytes: UInt64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : "\((value * 10).rounded() / 10) \(units[unit])"
}
