/**
 * Shapes shared by the responses of several /admin/amazon routes. Pure types: the admin bundle imports
 * the files of this folder (with `import type` of the validators only, so no zod or framework code
 * reaches it).
 */

/** Page fields of every list response, as Medusa's own list routes answer. */
export interface AdminAmazonPaginatedResponse {
  count: number
  offset: number
  limit: number
}

/**
 * 409 of a write refused because of the current state, with the workflow's own message (Medusa's error
 * handler would answer every CONFLICT with a generic text about idempotency keys).
 */
export interface AdminAmazonConflictError {
  type: string
  code: "invalid_state_error"
  message: string
}

/**
 * A response as a route may hand it to res.json when its rows come typed from the module service: a
 * string field may still hold a Date, which JSON writes as its ISO string (what the client reads).
 */
export type WithDates<T> = T extends string
  ? T | Date
  : T extends readonly (infer U)[]
    ? WithDates<U>[]
    : T extends object
      ? { [K in keyof T]: WithDates<T[K]> }
      : T
