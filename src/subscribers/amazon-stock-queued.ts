import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { AMAZON_STOCK_QUEUED_EVENT } from "../workflows/admin/constants"
import { requestStockPushSoon } from "../workflows/stock-push/utils/push-soon"

/**
 * A mapping or a rule changed and its variants were queued (enqueueVariantStockStep): arm the push-soon
 * timer here, on the worker, so the quantity reaches Amazon in seconds without the HTTP request or the
 * server process calling Amazon.
 */
export default async function amazonStockQueuedHandler({ container }: SubscriberArgs<{ reason: string; variants: number }>) {
  requestStockPushSoon(container)
}

export const config: SubscriberConfig = {
  event: AMAZON_STOCK_QUEUED_EVENT,
  context: { subscriberId: "amazon-stock-queued" },
}
