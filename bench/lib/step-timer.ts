/**
 * Per-step wall time of a workflow run, through the workflow SDK's own transaction events (`run({ events })`),
 * so the benchmark can show where a run's time goes without touching the plugin's code.
 */
export class StepTimer {
  private started = new Map<string, number>()
  readonly totals = new Map<string, { ms: number; count: number; rssMb: number; heapMb: number }>()

  events() {
    return {
      onStepBegin: ({ step }: { step: { id: string; definition: { action?: string } } }) => {
        this.started.set(step.id, performance.now())
      },
      onStepSuccess: ({ step }: { step: { id: string; definition: { action?: string } } }) => this.end(step),
      onStepFailure: ({ step }: { step: { id: string; definition: { action?: string } } }) => this.end(step),
    }
  }

  private end(step: { id: string; definition: { action?: string } }) {
    const begun = this.started.get(step.id)
    if (begun === undefined) return
    this.started.delete(step.id)
    const name = step.definition.action ?? step.id
    const t = this.totals.get(name) ?? { ms: 0, count: 0, rssMb: 0, heapMb: 0 }
    t.ms += performance.now() - begun
    t.count += 1
    // Memory when the step ended (the largest over its runs): shows which step's data stays alive.
    const mem = process.memoryUsage()
    t.rssMb = Math.max(t.rssMb, Math.round(mem.rss / 1048576))
    t.heapMb = Math.max(t.heapMb, Math.round(mem.heapUsed / 1048576))
    this.totals.set(name, t)
  }

  /** Steps by total time, longest first. */
  summary(): { step: string; ms: number; count: number; rss_mb_at_end: number; heap_mb_at_end: number }[] {
    return [...this.totals.entries()]
      .map(([step, t]) => ({ step, ms: Math.round(t.ms), count: t.count, rss_mb_at_end: t.rssMb, heap_mb_at_end: t.heapMb }))
      .sort((a, b) => b.ms - a.ms)
  }
}
