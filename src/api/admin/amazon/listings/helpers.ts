import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LISTING_FIELDS } from "./query-config"

/** Reads one listing (with its linked variant) for a response; 404 when it does not exist. */
export async function refetchListing(container: MedusaContainer, id: string, fields: string[] = LISTING_FIELDS) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "amazon_listing", fields, filters: { id } }, { throwIfKeyNotFound: true })
  return data[0]
}
