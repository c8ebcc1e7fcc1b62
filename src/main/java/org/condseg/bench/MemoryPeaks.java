package org.condseg.bench;

import java.util.Locale;

/**
 * Memory peaks over a measured interval, in MiB. A value is negative when it could not be measured.
 *
 * @param heapMb    peak Java heap in use (the larger of the sampled heap and the sum of the GC pools' peaks)
 * @param offHeapMb peak bytes held by JavaCPP pointers (ND4J's native arrays), {@code Pointer.totalBytes()}
 * @param rssMb     peak resident set of the process (VmHWM, reset at the start of the interval where the kernel allows)
 * @param rssReset  whether VmHWM was reset at the start, so {@code rssMb} covers the interval only (else: process life)
 */
public record MemoryPeaks(double heapMb, double offHeapMb, double rssMb, boolean rssReset) {
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "peak heap %.0f MB, off-heap %.0f MB, RSS %.0f MB%s", heapMb, offHeapMb, rssMb,
                rssReset ? "" : " (process lifetime)");
    }
}
