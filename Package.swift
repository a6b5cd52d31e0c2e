// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The numeric kernels (RF synthesis, delay-and-sum) are built for the build machine's vector unit when it has AVX2
/// and FMA, as `-march=native` would be (measured: RF synthesis about 10 % faster on the CI machine, median of 8
/// runs). Set US_SIM_PORTABLE=1 to build for baseline x86-64 instead (binaries to copy to other machines).
let kernelSettings: [SwiftSetting] = {
  #if os(Linux) && arch(x86_64)
    if ProcessInfo.processInfo.environment["US_SIM_PORTABLE"] == nil,
      let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      cpu.contains(" avx2"), cpu.contains(" fma")
    {
      // FUSED_MULTIPLY_ADD lets the kernels use fused multiply-add, which is a library call without the FMA unit.
      return [.unsafeFlags(["-target-cpu", "haswell"]), .define("FUSED_MULTIPLY_ADD")]
    }
  #endif
  return []
}()

/// us-sim: ultrasound RF simulation (Acoustics), delay-and-sum imaging (Beamform) and the scenes they image (Phantom).
///
/// Values flow forward: Phantom → Acoustics (RF) → Beamform (images) → Scenario (files, pipelines) → Studies
/// (metrics, sweeps) → us-sim (CLI). Acquisition (probes, transmit events, channel data) and KernelSupport (threads,
/// SIMD) are the vocabulary and plumbing both the simulator and the beamformer use; Beamform and Interchange
/// (channel-data files) do not link the simulator. docs/ARCHITECTURE.md draws the graph.
let package = Package(
  name: "us-sim",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "us-sim", targets: ["us-sim"]),
    .library(name: "Acquisition", targets: ["Acquisition"]),
    .library(name: "Acoustics", targets: ["Acoustics"]),
    .library(name: "Beamform", targets: ["Beamform"]),
    .library(name: "Phantom", targets: ["Phantom"]),
    .library(name: "Interchange", targets: ["Interchange"]),
    .library(name: "Scenario", targets: ["Scenario"]),
    .library(name: "Studies", targets: ["Studies"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // Thin C shims: a module map and one header each.
    .systemLibrary(
      name: "CFFTW", pkgConfig: "fftw3f",
      providers: [.apt(["libfftw3-dev"])]),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "CHDF5", pkgConfig: "hdf5",
      providers: [.apt(["libhdf5-dev"])]),

    // FFTW plans (made once per shape, reused) and the transforms built on them: real FFT, analytic signal, spectral
    // centroid.
    .target(name: "Spectral", dependencies: ["CFFTW"]),
    // Threads for independent work items, progress counting, and the SIMD and buffer helpers of the numeric kernels.
    .target(name: "KernelSupport", swiftSettings: kernelSettings),
    // What an acquisition is, shared by the simulator, the beamformer and the file formats: probe geometry and
    // presets, wavefronts, transmit events and sequences, channel data and recordings.
    .target(name: "Acquisition"),
    // Reading YAML and JSON settings with errors that name the field, the value and what is allowed; the probe
    // description scenario files and channel-data sidecars share.
    .target(name: "ConfigReading", dependencies: ["Acquisition", "Yams"]),
    // Scatterers, regions and scenes: what is imaged.
    .target(name: "Phantom"),
    // The physics core: pulses, media, elevation beams, RF synthesis of channel data for a transmit sequence.
    .target(
      name: "Acoustics", dependencies: ["Acquisition", "KernelSupport", "Phantom", "Spectral"],
      swiftSettings: kernelSettings),
    // Delay-and-sum, FFTW analytic signal, log compression, scan conversion.
    .target(
      name: "Beamform", dependencies: ["Acquisition", "KernelSupport", "Spectral"], swiftSettings: kernelSettings),
    // Image-quality metrics as defined in docs/metrics.md (resolution, contrast, speckle).
    .target(name: "Metrics"),
    // NumPy .npy and PNG files, atomic writes.
    .target(name: "FileFormats", dependencies: ["CZlib"]),
    // Channel data in and out: USTB's UFF v1.2 (HDF5) files, and .npy channel data with a YAML/JSON sidecar.
    .target(
      name: "Interchange", dependencies: ["CHDF5", "Acquisition", "ConfigReading", "FileFormats", "Spectral", "Yams"]),
    // Scenario files (YAML), validation with clear errors, the simulate pipeline and beamforming of recorded data.
    .target(
      name: "Scenario",
      dependencies: [
        "Acquisition", "ConfigReading", "KernelSupport", "Phantom", "Acoustics", "Beamform", "Spectral", "Interchange",
        "FileFormats", "Yams",
      ]),
    // Studies built on written frames: per-frame metrics (metrics.json), parameter sweeps and their report.
    .target(
      name: "Studies",
      dependencies: [
        "Scenario", "Acquisition", "ConfigReading", "KernelSupport", "Acoustics", "Beamform", "Metrics", "FileFormats",
        "Phantom", "Yams",
      ]),
    // The command-line interface: thin.
    .executableTarget(
      name: "us-sim",
      dependencies: [
        "Scenario", "Studies", "Interchange", "Acquisition", "ConfigReading", "Phantom", "Acoustics", "Beamform",
        "FileFormats",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Throughput benchmarks (`benchmarks/run`; the README's Benchmarks section).
    .executableTarget(
      name: "us-sim-bench",
      dependencies: [
        "Scenario", "Acquisition", "KernelSupport", "Phantom", "Acoustics", "Spectral", "Beamform", "Interchange",
        "Studies", "FileFormats", "Metrics",
      ],
      path: "benchmarks/Sources/us-sim-bench", swiftSettings: kernelSettings),

    .target(
      name: "TestSupport", dependencies: ["Acquisition", "Acoustics", "Beamform", "Phantom"],
      path: "Tests/TestSupport"),
    .testTarget(name: "SpectralTests", dependencies: ["Spectral"]),
    .testTarget(name: "PhantomTests", dependencies: ["Phantom", "Acoustics"]),
    .testTarget(
      name: "AcousticsTests", dependencies: ["Acquisition", "Acoustics", "Phantom", "Spectral", "TestSupport"]),
    .testTarget(
      name: "BeamformTests",
      dependencies: [
        "Beamform", "Acquisition", "Acoustics", "Phantom", "Spectral", "Metrics", "FileFormats", "TestSupport",
      ]),
    .testTarget(name: "MetricsTests", dependencies: ["Metrics"]),
    .testTarget(name: "FileFormatsTests", dependencies: ["FileFormats"]),
    .testTarget(
      name: "InterchangeTests",
      dependencies: [
        "Interchange", "Scenario", "Acquisition", "ConfigReading", "Acoustics", "Beamform", "FileFormats",
        "TestSupport",
      ]),
    .testTarget(
      name: "ScenarioTests",
      dependencies: [
        "Scenario", "Acquisition", "Beamform", "ConfigReading", "Acoustics", "Phantom", "FileFormats", "Metrics",
        "TestSupport",
      ]),
    .testTarget(
      name: "StudiesTests",
      dependencies: ["Studies", "Scenario", "Metrics", "FileFormats", "Phantom", "Yams", "TestSupport"]),
  ],
  swiftLanguageModes: [.v5]
)
