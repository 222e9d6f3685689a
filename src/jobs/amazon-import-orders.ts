import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_MODULE } from "../modules/amazon"
import type AmazonModuleService from "../modules/amazon/service"
import { importAmazonOrdersWorkflow } from "../workflows/order-import/import-amazon-orders"

/**
 * Cron of the Amazon order import, read once when the job loads. Default every 2 minutes: Amazon only
 * serves orders updated at least 2 minutes ago, and searchOrders refills one call per ~3 minutes, so
 * polling more often only meets an empty bucket (the run then leaves the window to the next one).
 */
const schedule = process.env.AMAZON_ORDER_IMPORT_SCHEDULE || "*/2 * * * *"

/** How far back the first run of a marketplace looks (hours). Default 24. */
const lookbackHours = Number(process.env.AMAZON_ORDER_IMPORT_LOOKBACK_HOURS) || 24

/**
 * Starts the order import of every enabled Amazon account. Does nothing without accounts; a run that
 * finds an account's previous run still going skips that account.
 */
export default async function amazonImportOrdersJob(container: MedusaContainer) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const accounts = await amazon.listAmazonAccounts({ enabled: true }, { select: ["id"] })
  for (const account of accounts) {
    try {
      const { result } = await importAmazonOrdersWorkflow(container).run({
        input: { account_id: account.id, lookback_seconds: lookbackHours * 3600 },
      })
      for (const m of result.marketplaces) {
        if (m.orders || m.status === "failed") {
          logger.info(
            `amazon orders: account=${account.id} marketplace=${m.marketplace_id} status=${m.status} pages=${m.pages} ` +
              `orders=${m.orders} imported=${m.imported} pending=${m.pending} skipped=${m.skipped} ` +
              `attention=${m.needs_attention} failed=${m.failed}`
          )
        }
      }
    } catch (e) {
      // Failures inside a run are already in amazon_sync_log; this is the run itself breaking.
      logger.error(`amazon orders: import run failed for account ${account.id}: ${(e as { message?: string })?.message ?? e}`)
    }
  }
}

export const config = {
  name: "amazon-import-orders",
  schedule,
}
