import type AmazonModuleService from "./service"

/**
 * The Amazon module of this process, for the one caller that cannot have it injected: the MCF fulfillment
 * provider (src/providers/amazon-mcf). Medusa gives a module provider only its own module's container (the
 * Fulfillment Module's), never another module, yet cancelling an MCF fulfillment must ask Amazon first (and
 * refuse when Amazon does) from inside the Fulfillment Module's cancel, with the account's credentials, which
 * live here. The service registers itself when Medusa builds it; the provider fails clearly when the plugin's
 * module is not loaded in this process.
 */
let current: AmazonModuleService | null = null

export function registerProcessAmazonModule(service: AmazonModuleService): void {
  current = service
}

export function processAmazonModule(): AmazonModuleService {
  if (!current) {
    throw new Error("The Amazon module of medusa-amazon-stock-sync is not loaded in this process: add the plugin to medusa-config")
  }
  return current
}
