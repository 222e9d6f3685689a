/**
 * Per-step wall time of a workflow run, through the workflow SDK's own transaction events (`run({ events })`),
 * so the benchmark can show where a run's time goes without touching the plugin's code.
 */
export class StepTimer {
  private started = new Map<string, number>()
  readonly totals = new Map<string, { ms: number; count: number }>()

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
    const t = this.totals.get(name) ?? { ms: 0, count: 0 }
    t.ms += performance.now() - begun
    t.count += 1
    this.totals.set(name, t)
  }

  /** Steps by total time, longest first. */
  summary(): { step: string; ms: number; count: number }[] {
    return [...this.totals.entries()]
      .map(([step, t]) => ({ step, ms: Math.round(t.ms), count: t.count }))
      .sort((a, b) => b.ms - a.ms)
  }
}
