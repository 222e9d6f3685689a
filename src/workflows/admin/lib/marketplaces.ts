import { AmazonRegion, MARKETPLACES } from "../../../lib/amazon/endpoints"

/** Problems with an account's marketplace list for its region (empty = fine). Pure. */
export function marketplaceProblems(region: AmazonRegion, marketplaceIds: string[]): string[] {
  const problems: string[] = []
  if (!marketplaceIds.length) {
    problems.push("at least one marketplace id is required")
  }
  for (const id of marketplaceIds) {
    const m = MARKETPLACES[id]
    if (!m) {
      problems.push(`unknown marketplace id "${id}"`)
    } else if (m.region !== region) {
      problems.push(`marketplace ${id} (${m.name}) belongs to region ${m.region}, not ${region}`)
    }
  }
  return problems
}
