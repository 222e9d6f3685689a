import type { MedusaContainer } from "@medusajs/framework/types"
import type { Stack } from "../../demo/stack"
import type { TestStore } from "../../integration-tests/helpers/store-seed"
import type { SimulatorHandle } from "../../simulator"
import type { BenchSeller, CatalogSku } from "./catalog"
import type { FetchRecorder } from "./fetch-recorder"

export interface BenchContext {
  stack: Stack
  container: MedusaContainer
  /** The stack's simulator (time scale 1: Amazon's real quotas) used by P1, P3 and P5. */
  sim: SimulatorHandle
  recorder: FetchRecorder
  store: TestStore
  locationId: string
  /** Account A: 1,000 mapped SKUs in steady state on the stack's simulator. */
  accountA: { accountId: string; seller: BenchSeller; skus: CatalogSku[] }
  say: (line: string) => void
  /** Seconds left of the run's budget. */
  remainingS: () => number
  /** Extra simulators started by scenarios, closed at the end. */
  extraSims: SimulatorHandle[]
}
