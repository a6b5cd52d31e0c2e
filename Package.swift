// swift-tools-version: 6.0
import PackageDescription

/// us-sim: ultrasound RF simulation (Acoustics), delay-and-sum imaging (Beamform) and the scenes they image (Phantom).
///
/// Values flow forward: Phantom → Acoustics → Beamform → Scenario (files, pipeline) → us-sim (CLI).
let package = Package(
  name: "us-sim",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "us-sim", targets: ["us-sim"]),
    .library(name: "Acoustics", targets: ["Acoustics"]),
    .library(name: "Beamform", targets: ["Beamform"]),
    .library(name: "Phantom", targets: ["Phantom"]),
    .library(name: "Scenario", targets: ["Scenario"]),
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

    // FFTW plans (made once per shape, reused) and the transforms built on them: real FFT, analytic signal.
    .target(name: "Spectral", dependencies: ["CFFTW"]),
    // Scatterers, regions and scenes: what is imaged.
    .target(name: "Phantom"),
    // The physics core: probes, pulses, media, transmit schemes, RF channel data.
    .target(name: "Acoustics", dependencies: ["Phantom", "Spectral"]),
    // Delay-and-sum, FFTW analytic signal, log compression, scan conversion.
    .target(name: "Beamform", dependencies: ["Acoustics", "Spectral"]),
    // Image-quality metrics as defined in shared/reference/metrics.md (resolution, contrast, speckle).
    .target(name: "Metrics"),
    // NumPy .npy and PNG files, atomic writes.
    .target(name: "FileFormats", dependencies: ["CZlib"]),
    // Scenario files (YAML), validation with clear errors, and the simulate pipeline.
    .target(
      name: "Scenario",
      dependencies: ["Phantom", "Acoustics", "Beamform", "Metrics", "FileFormats", "Yams"]),
    // The command-line interface: thin.
    .executableTarget(
      name: "us-sim",
      dependencies: ["Scenario", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    // Throughput benchmarks (see benchmarks/README.md).
    .executableTarget(
      name: "us-sim-bench", dependencies: ["Scenario", "Phantom", "Acoustics", "Beamform"],
      path: "benchmarks/Sources/us-sim-bench"),

    .target(name: "TestSupport", dependencies: ["Acoustics", "Beamform", "Phantom", "Metrics", "Spectral"], path: "Tests/TestSupport"),
    .testTarget(name: "SpectralTests", dependencies: ["Spectral", "TestSupport"]),
    .testTarget(name: "PhantomTests", dependencies: ["Phantom", "TestSupport"]),
    .testTarget(name: "AcousticsTests", dependencies: ["Acoustics", "TestSupport"]),
    .testTarget(name: "BeamformTests", dependencies: ["Beamform", "Acoustics", "Phantom", "Metrics", "TestSupport"]),
    .testTarget(name: "MetricsTests", dependencies: ["Metrics"]),
    .testTarget(name: "FileFormatsTests", dependencies: ["FileFormats"]),
    .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "TestSupport", "FileFormats", "Metrics"]),
  ],
  swiftLanguageModes: [.v5]
)
