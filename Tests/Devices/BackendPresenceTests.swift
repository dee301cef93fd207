import Foundation
import Testing
import DeviceShimDevices

/// Backend tests skip themselves on a machine without that backend, which is right on a
/// laptop and wrong in CI: there, `scripts/test.sh` installs PoCL and lavapipe and names the
/// backends that must compute in `DEVICESHIM_TEST_BACKENDS` (default `cpu,opencl,vulkan`),
/// so a driver that stops loading fails this test instead of quietly running fewer tests.
@Suite("Backends the run requires")
struct BackendPresenceTests {
    /// The backends `DEVICESHIM_TEST_BACKENDS` names; empty when it is unset.
    static let required: [String] = (ProcessInfo.processInfo.environment["DEVICESHIM_TEST_BACKENDS"] ?? "")
        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }

    @Test("every required backend has a device that computes", .enabled(if: !required.isEmpty))
    func requiredBackendsCompute() throws {
        for name in Self.required {
            let backend = try #require(BackendKind(rawValue: name), "DEVICESHIM_TEST_BACKENDS names unknown backend \(name)")
            let entries = DeviceRegistry.shared.entries(of: backend)
            let reasons = entries.compactMap(\.whyNoCompute).joined(separator: "; ")
            #expect(entries.contains { $0.compute != nil },
                    "\(name) is required but has no computing device here\(reasons.isEmpty ? "" : ": \(reasons)")")
        }
    }
}
