/** Small statistics and formatting helpers for the benchmark's figures. */

/** The p-th percentile (0..100) with linear interpolation between ranks; NaN for no samples. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo)
}

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 0)
}

/** Samples the process's resident set size until stopped; peak and the baseline at start. */
export class RssSampler {
  readonly baseline = process.memoryUsage().rss
  peak = this.baseline
  private timer: NodeJS.Timeout

  constructor(intervalMs = 25) {
    this.timer = setInterval(() => {
      const rss = process.memoryUsage().rss
      if (rss > this.peak) this.peak = rss
    }, intervalMs)
  }

  stop() {
    clearInterval(this.timer)
    const rss = process.memoryUsage().rss
    if (rss > this.peak) this.peak = rss
    return { baselineMb: mb(this.baseline), peakMb: mb(this.peak), increaseMb: mb(this.peak - this.baseline) }
  }
}
