/**
 * The Listings rules shared by patchListingsItem and JSON_LISTINGS_FEED messages: which patches and attribute
 * values are accepted, and how an accepted patch changes a listing's attributes.
 *
 * Amazon accepts PATCH only on top-level attributes (`/attributes/<snake_case_name>`), and a
 * fulfillment_availability entry must name its `fulfillment_channel_code` (amzn/selling-partner-api-models#4554).
 * Op `merge` updates the named fields of the matching entry and keeps the others, such as
 * lead_time_to_ship_max_days (developer-docs: merge-a-listing).
 */
import { isPlainObject } from "../http"
import type { AttributeEntry, SimListing } from "../types"
import { ISSUE_CODES } from "./issue-codes"

export type PatchOp = "add" | "replace" | "merge" | "delete"

export interface PatchOperation {
  op: PatchOp
  path: string
  value?: AttributeEntry[]
}

export interface IssueDraft {
  code: string
  message: string
  severity: "ERROR" | "WARNING"
  attributeNames?: string[]
}

export const FULFILLMENT_AVAILABILITY = "fulfillment_availability"
export const MFN_CHANNEL = "DEFAULT"

const ATTRIBUTE_PATH = /^\/attributes\/([^/]+)$/
const SNAKE_CASE = /^[a-z][a-z0-9_]*$/

function invalidAttributes(name: string, message = "The attributes are invalid."): IssueDraft {
  return { code: ISSUE_CODES.INVALID_ATTRIBUTES, message, severity: "ERROR", attributeNames: [name] }
}

/** The attribute a patch targets, or an issue when the path is not a top-level snake_case attribute. */
export function patchAttributeName(path: string): { name: string } | { issue: IssueDraft } {
  const match = ATTRIBUTE_PATH.exec(path)
  if (!match) {
    const name = path.replace(/^\/attributes\//, "").split("/")[0] || path
    return { issue: invalidAttributes(name) }
  }
  if (!SNAKE_CASE.test(match[1])) return { issue: invalidAttributes(match[1]) }
  return { name: match[1] }
}

/** At most one issue per patch: the first thing wrong with it. */
export function validatePatch(patch: PatchOperation, index: number): IssueDraft | undefined {
  const target = patchAttributeName(patch.path)
  if ("issue" in target) return target.issue
  if (patch.op !== "delete" && patch.value === undefined) {
    return { code: ISSUE_CODES.BAD_REQUEST, message: `Value is missing for patch at index of ${index}.`, severity: "ERROR", attributeNames: [target.name] }
  }
  if (patch.value === undefined) return undefined
  return validateAttributeValue(target.name, patch.value, patch.op)
}

export function validatePatches(patches: PatchOperation[]): IssueDraft[] {
  return patches.map((patch, i) => validatePatch(patch, i)).filter((issue): issue is IssueDraft => issue !== undefined)
}

/** For UPDATE / PARTIAL_UPDATE: every attribute name and value. */
export function validateAttributes(attributes: Record<string, unknown>): IssueDraft[] {
  const issues: IssueDraft[] = []
  for (const [name, value] of Object.entries(attributes)) {
    if (!SNAKE_CASE.test(name)) {
      issues.push(invalidAttributes(name))
      continue
    }
    const issue = validateAttributeValue(name, value, "replace")
    if (issue) issues.push(issue)
  }
  return issues
}

function validateAttributeValue(name: string, value: unknown, op: PatchOp): IssueDraft | undefined {
  if (!Array.isArray(value) || !value.every(isPlainObject)) {
    return invalidAttributes(name, `The value of attribute '${name}' must be an array of objects.`)
  }
  if (name !== FULFILLMENT_AVAILABILITY || op === "delete") return undefined
  const seen = new Set<string>()
  for (const entry of value) {
    const channel = entry.fulfillment_channel_code
    if (typeof channel !== "string" || channel === "") {
      return {
        code: ISSUE_CODES.MISSING_REQUIRED_VALUE,
        message:
          "The field 'fulfillment_channel_code' for the attribute 'fulfillment_availability' does not have enough values. The required minimum is '1' value(s).",
        severity: "ERROR",
        attributeNames: [FULFILLMENT_AVAILABILITY],
      }
    }
    if (seen.has(channel)) {
      return invalidAttributes(FULFILLMENT_AVAILABILITY, `The fulfillment_channel_code '${channel}' appears more than once in 'fulfillment_availability'.`)
    }
    seen.add(channel)
    if ("quantity" in entry && !isWholeNumber(entry.quantity)) {
      return invalidAttributes(
        FULFILLMENT_AVAILABILITY,
        `The value '${JSON.stringify(entry.quantity)}' of 'quantity' in the attribute 'fulfillment_availability' is invalid. It must be a whole number of 0 or more.`,
      )
    }
    if ("lead_time_to_ship_max_days" in entry && !(isWholeNumber(entry.lead_time_to_ship_max_days) && entry.lead_time_to_ship_max_days >= 1)) {
      return invalidAttributes(
        FULFILLMENT_AVAILABILITY,
        `The value '${JSON.stringify(entry.lead_time_to_ship_max_days)}' of 'lead_time_to_ship_max_days' in the attribute 'fulfillment_availability' is invalid.`,
      )
    }
  }
  return undefined
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0
}

/** Apply already-validated patches; returns the new attribute map (the input is not changed). */
export function applyPatches(attributes: Record<string, AttributeEntry[]>, patches: PatchOperation[]): Record<string, AttributeEntry[]> {
  const next = structuredClone(attributes)
  for (const patch of patches) {
    const target = patchAttributeName(patch.path)
    if ("issue" in target) throw new Error(`applyPatches got an invalid path ${patch.path}`)
    const { name } = target
    const value = patch.value ?? []
    switch (patch.op) {
      case "add":
      case "replace":
        next[name] = structuredClone(value)
        break
      case "merge":
        next[name] = mergeEntries(name, next[name] ?? [], value)
        break
      case "delete": {
        if (patch.value === undefined) {
          delete next[name]
          break
        }
        const kept = (next[name] ?? []).filter((entry) => !value.some((v) => sameEntry(name, entry, v)))
        if (kept.length > 0) next[name] = kept
        else delete next[name]
        break
      }
    }
  }
  return next
}

function mergeEntries(name: string, current: AttributeEntry[], incoming: AttributeEntry[]): AttributeEntry[] {
  const merged = structuredClone(current)
  for (const entry of incoming) {
    const existing = merged.find((candidate) => sameEntry(name, candidate, entry))
    if (existing) Object.assign(existing, structuredClone(entry))
    else merged.push(structuredClone(entry))
  }
  return merged
}

/** Entries of fulfillment_availability are keyed by channel; other attributes by marketplace and language. */
function sameEntry(name: string, a: AttributeEntry, b: AttributeEntry): boolean {
  if (name === FULFILLMENT_AVAILABILITY) return a.fulfillment_channel_code === b.fulfillment_channel_code
  return (
    (b.marketplace_id === undefined || a.marketplace_id === b.marketplace_id) &&
    (b.language_tag === undefined || a.language_tag === b.language_tag)
  )
}

/** The quantity Amazon shows for the merchant-fulfilled (DEFAULT) channel; undefined when none is set. */
export function mfnQuantity(listing: Pick<SimListing, "attributes">): number | undefined {
  const entry = (listing.attributes[FULFILLMENT_AVAILABILITY] ?? []).find((e) => e.fulfillment_channel_code === MFN_CHANNEL)
  return typeof entry?.quantity === "number" ? entry.quantity : undefined
}

/** The FBA channel code of a listing (AMAZON_NA, AMAZON_EU, …), if it has one. */
export function fbaChannel(listing: Pick<SimListing, "attributes">): string | undefined {
  const entry = (listing.attributes[FULFILLMENT_AVAILABILITY] ?? []).find(
    (e) => typeof e.fulfillment_channel_code === "string" && e.fulfillment_channel_code.startsWith("AMAZON_"),
  )
  return entry?.fulfillment_channel_code as string | undefined
}
