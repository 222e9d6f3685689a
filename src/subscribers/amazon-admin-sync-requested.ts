import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AMAZON_SYNC_REQUESTED_EVENT } from "../workflows/admin/constants"
import type { AmazonSyncRequestedEventData } from "../workflows/admin/request-amazon-sync"
import { runAmazonSync } from "../workflows/admin/run-amazon-sync"

/**
 * An admin pressed "sync now": run the stream's workflows here, after the request returned (202). The
 * runner holds the claim the request took (one sync per stream and account) and records the outcome in
 * amazon_sync_log.
 */
export default async function amazonAdminSyncRequestedHandler({ event, container }: SubscriberArgs<AmazonSyncRequestedEventData>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  try {
    const outcome = await runAmazonSync(container, event.data)
    if (!outcome.skipped) {
      logger.info(`amazon admin sync: ${outcome.stream} ${outcome.ok ? "done" : "failed"} in ${outcome.duration_ms}ms`)
    }
  } catch (e) {
    logger.error(`amazon admin sync: ${event.data?.stream} failed: ${(e as { message?: string })?.message ?? String(e)}`)
  }
}

export const config: SubscriberConfig = {
  event: AMAZON_SYNC_REQUESTED_EVENT,
  context: { subscriberId: "amazon-admin-sync-requested" },
}
