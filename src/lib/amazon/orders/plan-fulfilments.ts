/**
 * The Medusa fulfillments one application of an Amazon order version creates, from the stock plan's
 * `fulfil` entries and Amazon's packages (carrier, tracking number, ship time). Pure.
 *
 * - Units going through Medusa's createOrderFulfillmentWorkflow form one fulfillment (that workflow takes
 *   each unit from the location its reservation is at).
 * - Units the import records itself form one fulfillment per stock location (Amazon-fulfilled and
 *   unmanaged units: one without a merchant location).
 * - Amazon packages not recorded before become the labels of the fulfillment holding their items (the
 *   first one when none does). A package Amazon cancelled is not a shipment.
 */
import type { ParsedPackage } from "../parsers/parse-order"
import type { PlannedFulfilment } from "./plan-stock"

export interface FulfilmentLabel {
  tracking_number: string
  tracking_url: string
  label_url: string
}

export interface FulfilmentGroup {
  via: "medusa" | "record"
  /** Merchant location of the units (record); null for Medusa's workflow or when no stock is involved. */
  location_id: string | null
  items: PlannedFulfilment[]
  labels: FulfilmentLabel[]
  /** Amazon packageReferenceIds carried by this fulfillment. */
  package_reference_ids: string[]
  /** Carriers named by those packages. */
  carriers: string[]
  /** When Amazon says the units were handed to the carrier (the latest package), if known. */
  shipped_at: string | null
}

export interface FulfilmentGroups {
  groups: FulfilmentGroup[]
  /** The packages recorded once these fulfillments exist: the record's `applied.packages`. */
  packages: string[]
}

export function groupFulfilments(
  fulfil: readonly PlannedFulfilment[],
  packages: readonly ParsedPackage[] | undefined,
  recorded: readonly string[] | undefined
): FulfilmentGroups {
  const groups: FulfilmentGroup[] = []
  const empty = (via: FulfilmentGroup["via"], location: string | null): FulfilmentGroup => ({
    via,
    location_id: location,
    items: [],
    labels: [],
    package_reference_ids: [],
    carriers: [],
    shipped_at: null,
  })
  for (const f of fulfil) {
    if (f.quantity <= 0) {
      continue
    }
    const location = f.via === "medusa" ? null : f.location_id
    let group = groups.find((g) => g.via === f.via && g.location_id === location)
    if (!group) {
      group = empty(f.via, location)
      // Medusa's workflow first: it is the one that can refuse (and undo the run) before anything is recorded.
      if (f.via === "medusa") {
        groups.unshift(group)
      } else {
        groups.push(group)
      }
    }
    group.items.push(f)
  }

  const seen = new Set(recorded ?? [])
  const fresh = (packages ?? []).filter((p) => !seen.has(p.referenceId) && p.status !== "CANCELLED")
  if (groups.length) {
    for (const pkg of fresh) {
      const ids = new Set(pkg.items.map((i) => i.orderItemId))
      const group = groups.find((g) => g.items.some((i) => ids.has(i.order_item_id))) ?? groups[0]
      if (pkg.trackingNumber) {
        group.labels.push({ tracking_number: pkg.trackingNumber, tracking_url: "", label_url: "" })
      }
      group.package_reference_ids.push(pkg.referenceId)
      if (pkg.carrier && !group.carriers.includes(pkg.carrier)) {
        group.carriers.push(pkg.carrier)
      }
      if (pkg.shipTime && (!group.shipped_at || Date.parse(pkg.shipTime) > Date.parse(group.shipped_at))) {
        group.shipped_at = pkg.shipTime
      }
      seen.add(pkg.referenceId)
    }
  }
  // Packages of units already shown fulfilled (fulfilled in the store before Amazon heard of them) stay
  // unrecorded: a later fulfillment of the same order may still carry them.
  return { groups, packages: [...seen] }
}
