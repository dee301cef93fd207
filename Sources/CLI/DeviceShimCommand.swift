import ArgumentParser
import DeviceShim

@main
struct DeviceShimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deviceshim-cli",
        abstract: "DeviceShim: CUDA and MPS requests redirected to the compute this machine has.",
        subcommands: [DevicesCommand.self, PolicyCommand.self, RunCommand.self, Demo.self])
}
