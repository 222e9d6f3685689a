import type { MedusaContainer } from "@medusajs/framework/types"
import { AMAZON_MODULE } from "../../../modules/amazon"
import type AmazonModuleService from "../../../modules/amazon/service"
import { LOG_STREAM } from "../constants"

export interface LastConnectionTest {
  ok: boolean
  at: string
  code: string | null
  message: string
}

/** The latest "test connection" outcome per account (from the sync log), for the settings page. */
export async function lastConnectionTests(container: MedusaContainer, accountIds: string[]): Promise<Record<string, LastConnectionTest>> {
  if (!accountIds.length) return {}
  const amazon = container.resolve<AmazonModuleService>(AMAZON_MODULE)
  const out: Record<string, LastConnectionTest> = {}
  await Promise.all(
    accountIds.map(async (id) => {
      const [row] = await amazon.listAmazonSyncLogs(
        { account_id: id, stream: LOG_STREAM.connection },
        { take: 1, order: { created_at: "DESC" }, select: ["id", "level", "code", "message", "created_at"] }
      )
      if (row) {
        out[id] = {
          ok: row.level !== "error",
          at: new Date(row.created_at as unknown as string).toISOString(),
          code: row.code ?? null,
          message: row.message,
        }
      }
    })
  )
  return out
}
