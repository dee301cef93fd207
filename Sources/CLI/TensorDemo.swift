import DeviceShim

/// The tensor part of `deviceshim-cli demo`: Swift code written for CUDA and MPS, as PyTorch
/// code is, runs on whatever device the policy sends `cuda` and `mps` to.
func tensorsOnRequestedDevices() throws {
    Tensor.manualSeed(0)
    let x = try Tensor.randn([2, 3], device: "cuda")
    say("deviceshim demo: x = Tensor.randn([2, 3], device: \"cuda\")\n\(x)")
    let y = try (x * 2 + 1).relu()
    say("deviceshim demo: (x * 2 + 1).relu()\n\(y)")
    let gram = try x.matmul(x.transposed()).softmax(dim: 1)
    say("deviceshim demo: x.matmul(x.transposed()).softmax(dim: 1)\n\(gram)")
    let onMps = try y.mps()
    say("deviceshim demo: y.mps().sum() = \(try onMps.sum().item())")
}
