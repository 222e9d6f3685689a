import type { MedusaContainer } from "@medusajs/framework/types"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import type {
  AdminAmazonNotificationHealth,
  AdminAmazonNotificationSetup,
  AdminAmazonNotificationSubscription,
  AdminAmazonNotificationSummary,
} from "../../../types/http"
import { consumerTiming } from "../constants"

type SetupRow = Awaited<ReturnType<AmazonModuleService["retrieveAmazonNotificationSetup"]>>

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null)

/** How notifications are doing, in one word and one sentence; polling is always named as what covers gaps. */
export function notificationHealth(
  setup: Pick<SetupRow, "status" | "last_error" | "last_error_at" | "last_receive_at" | "last_message_at" | "created_at">,
  now = Date.now(),
  quietMinutes = consumerTiming().quietMinutes
): { health: AdminAmazonNotificationHealth; text: string } {
  if (setup.status === "removed") return { health: "off", text: "Notifications are off: orders, FBA stock and feed results are polled." }
  if (setup.status === "setting_up" || setup.status === "removing") return { health: "starting", text: "Notifications are being changed." }
  if (setup.status === "failed") return { health: "error", text: `Setting up notifications failed${setup.last_error ? `: ${setup.last_error}` : ""}. Polling goes on.` }
  const receive = setup.last_receive_at ? new Date(setup.last_receive_at).getTime() : null
  const errorAt = setup.last_error_at ? new Date(setup.last_error_at).getTime() : null
  if (errorAt && (!receive || errorAt > receive)) {
    return { health: "error", text: `The queue cannot be read: ${setup.last_error ?? "unknown error"} Polling goes on at its usual pace.` }
  }
  if (!receive || now - receive > 3 * 60_000) {
    // the consumer has not read for minutes: no worker runs it, or it only just started
    return receive
      ? { health: "error", text: "Nothing has read the queue for a few minutes (is a worker running?). Polling goes on." }
      : { health: "starting", text: "Waiting for the first read of the queue (within a minute of set-up)." }
  }
  const message = setup.last_message_at ? new Date(setup.last_message_at).getTime() : null
  if (!message || now - message > quietMinutes * 60_000) {
    return { health: "quiet", text: `No notification for ${quietMinutes >= 60 ? `${Math.round(quietMinutes / 60)} h` : `${quietMinutes} min`} or more; polling covers anything Amazon did not send.` }
  }
  return { health: "live", text: "Amazon's notifications arrive; polling runs beside them as the safety net." }
}

function hint(keyId: string): string {
  return keyId.length > 4 ? `${"•".repeat(Math.min(16, keyId.length - 4))}${keyId.slice(-4)}` : "••••"
}

/** The admin's view of a set-up: no secret, counts of the last 24 hours, health. */
export async function notificationSetupView(container: MedusaContainer, setup: SetupRow): Promise<AdminAmazonNotificationSetup> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const since = new Date(Date.now() - 24 * 3_600_000)
  const [received, applied, ignored, failed, invalid] = await Promise.all(
    [undefined, "applied", "ignored", "failed", "invalid"].map(async (status) =>
      (await amazon.listAndCountAmazonNotifications({ account_id: setup.account_id, received_at: { $gte: since }, ...(status ? { status } : {}) }, { take: 1, select: ["id"] }))[1]
    )
  )
  const { health, text } = notificationHealth(setup)
  return {
    id: setup.id,
    account_id: setup.account_id,
    status: setup.status,
    health,
    health_text: text,
    queue_url: setup.queue_url,
    queue_arn: setup.queue_arn,
    aws_region: setup.aws_region,
    aws_access_key_id_hint: hint(setup.aws_access_key_id),
    has_aws_secret: !!setup.aws_secret_access_key_encrypted,
    destination_id: setup.destination_id ?? null,
    eventbridge_account_id: setup.eventbridge_account_id ?? null,
    eventbridge_destination_id: setup.eventbridge_destination_id ?? null,
    subscriptions: ((setup.subscriptions ?? []) as unknown as AdminAmazonNotificationSubscription[]),
    last_error: setup.last_error ?? null,
    last_error_at: iso(setup.last_error_at),
    last_receive_at: iso(setup.last_receive_at),
    last_message_at: iso(setup.last_message_at),
    received_count: setup.received_count,
    applied_count: setup.applied_count,
    duplicate_count: setup.duplicate_count,
    invalid_count: setup.invalid_count,
    last_24h: { received, applied, ignored, failed, invalid },
    updated_at: iso(setup.updated_at)!,
  }
}

/** The account's set-up as the admin sees it, or null when notifications were never set up. */
export async function accountNotificationView(container: MedusaContainer, accountId: string): Promise<AdminAmazonNotificationSetup | null> {
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const [setup] = await amazon.listAmazonNotificationSetups({ account_id: accountId }, { take: 1 })
  return setup ? notificationSetupView(container, setup) : null
}

/** Per account, for the dashboard: notifications on or off, their health, and the last 24 hours in two numbers. */
export async function notificationSummaries(container: MedusaContainer, accountIds: string[], now = new Date()): Promise<AdminAmazonNotificationSummary[]> {
  if (!accountIds.length) return []
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const setups = await amazon.listAmazonNotificationSetups({ account_id: accountIds })
  const since = new Date(now.getTime() - 24 * 3_600_000)
  return Promise.all(
    accountIds.map(async (accountId) => {
      const setup = setups.find((s) => s.account_id === accountId)
      if (!setup || setup.status === "removed") {
        return { account_id: accountId, on: false, health: "off" as const, health_text: notificationHealth({ status: "removed" } as never).text, received_24h: 0, applied_24h: 0, last_message_at: null }
      }
      const [[, received], [, applied]] = await Promise.all([
        amazon.listAndCountAmazonNotifications({ account_id: accountId, received_at: { $gte: since } }, { take: 1, select: ["id"] }),
        amazon.listAndCountAmazonNotifications({ account_id: accountId, received_at: { $gte: since }, status: "applied" }, { take: 1, select: ["id"] }),
      ])
      const { health, text } = notificationHealth(setup, now.getTime())
      return { account_id: accountId, on: true, health, health_text: text, received_24h: received, applied_24h: applied, last_message_at: iso(setup.last_message_at) }
    })
  )
}
