/**
 * Query keys of the plugin's admin data, one factory per resource, so a mutation invalidates exactly the
 * lists and details it changes (as the draft-order plugin's hooks do).
 */
const root = ["amazon"] as const

function factory<T extends string>(resource: T) {
  const all = [...root, resource] as const
  return {
    all,
    lists: () => [...all, "list"] as const,
    list: (query: Record<string, unknown> = {}) => [...all, "list", query] as const,
    details: () => [...all, "detail"] as const,
    detail: (id: string, query: Record<string, unknown> = {}) => [...all, "detail", id, query] as const,
  }
}

export const amazonKeys = {
  all: root,
  accounts: factory("accounts"),
  listings: factory("listings"),
  status: factory("status"),
  feeds: factory("feeds"),
  feedMessages: factory("feed-messages"),
  orders: factory("orders"),
  fbaStock: factory("fba-stock"),
  driftChecks: factory("drift-checks"),
  notifications: factory("notifications"),
  mcfOrders: factory("mcf-orders"),
  syncLogs: factory("sync-logs"),
  store: factory("store"),
}

/**
 * Background work ("sync now", listings import) finishes a moment after its 202: look again a few times
 * so the page shows the outcome without a manual reload.
 */
export function refreshSoon(invalidate: () => void, delays = [1000, 3000, 8000, 15000]) {
  for (const delay of delays) {
    setTimeout(invalidate, delay)
  }
}
