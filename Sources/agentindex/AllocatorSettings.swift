import Foundation

/// glibc allocator settings the process starts with, measured on the 100k-agent backfill.
///
/// glibc serves a large allocation (an `eth_getLogs` answer's list of logs, a batch's events)
/// with its own `mmap` only while it is above a threshold that *rises* to the size of every such
/// block freed (up to 32 MiB). A backfill frees many blocks of a few MiB, so after the first ones
/// they are carved from the threads' arenas instead, and what they leave behind stays resident
/// until `malloc_trim`. A fixed 256 KiB threshold gives each large block back to the system when
/// it is freed: peak RSS 214 → 197 MB and the payment phase's mean 187 → 172 MB, in the same time
/// (148 s against 154 s). 128 KiB was no better.
///
/// ```swift
/// AllocatorSettings.apply()   // first thing in main, unless the environment sets it
/// ```
enum AllocatorSettings {
    /// The fixed `mmap` threshold.
    static let mmapThreshold: Int32 = 256 << 10

    /// Fixes the `mmap` threshold, unless `MALLOC_MMAP_THRESHOLD_` or `GLIBC_TUNABLES` already
    /// set it (an operator's choice wins). Does nothing off glibc.
    static func apply() {
        #if canImport(Glibc)
        let environment = ProcessInfo.processInfo.environment
        guard environment["MALLOC_MMAP_THRESHOLD_"] == nil,
              environment["GLIBC_TUNABLES"]?.contains("mmap_threshold") != true else { return }
        _ = glibcMallopt(glibcMmapThreshold, mmapThreshold)
        #endif
    }
}

#if canImport(Glibc)
/// glibc's `mallopt` (declared in `malloc.h`, which the Glibc module does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// `M_MMAP_THRESHOLD` in `malloc.h`.
private let glibcMmapThreshold: Int32 = -3
#endif
