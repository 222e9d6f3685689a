/**
 * Bulk and raw SQL of the module, one file per table it writes. Each function takes the manager of the
 * AmazonModuleService method that calls it (the decorators stay on the service: Medusa gives the shared
 * context there).
 *
 * Every file exports its functions as one plain object, never as bare functions or classes: Medusa's
 * module loader imports each file of a module's `repositories/` folder and registers every exported
 * function or class in the module container as a MikroORM repository (`loadResources` in
 * @medusajs/modules-sdk dist/loaders/utils/load-internal.js); objects are left out of that.
 */
export * from "./sql"
export * from "./accounts"
export * from "./feed-messages"
export * from "./listings"
export * from "./stock-events"
export * from "./stock-outbox"
export * from "./sync-logs"
export * from "./notifications"
