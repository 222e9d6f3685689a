import type { MedusaContainer } from "@medusajs/framework/types"

/**
 * Calls one of the plugin's scheduled jobs (its default export, exactly what Medusa's scheduler calls) at a
 * fixed rate, as a cron with that period would: a tick fires whether or not the previous run has ended
 * (the plugin's own lock decides who works). Stands in for `AMAZON_*_SCHEDULE="*\/N * * * * *"` so that
 * each scenario can run the jobs only while it is measured.
 */
export class JobTicker {
  private timer: NodeJS.Timeout | undefined
  private inFlight = new Set<Promise<void>>()
  runs = 0

  constructor(
    private readonly job: (container: MedusaContainer) => Promise<void>,
    private readonly container: MedusaContainer,
    readonly periodMs: number
  ) {}

  start(): this {
    const tick = () => {
      this.runs++
      const p = this.job(this.container).catch(() => undefined)
      this.inFlight.add(p)
      void p.finally(() => this.inFlight.delete(p))
    }
    // Aligned to the period like a cron, first tick right away.
    tick()
    this.timer = setInterval(tick, this.periodMs)
    return this
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await Promise.all([...this.inFlight])
  }
}
