// medusaIntegrationTestRunner / moduleIntegrationTestRunner register MikroORM entities globally;
// clear them between suites so one file's models don't leak into the next.
const { MetadataStorage } = require("@mikro-orm/core")

MetadataStorage.clear()

// Before each test the runner recreates the database from its template, which terminates the app's pooled
// connections. knex notices each dead connection when it next takes it from the pool, discards it (the
// query gets a fresh one) and warns through console.log, because Medusa gives knex no logger: ~150 blocks
// of expected noise per green run. Only that exact warning, printed by knex's own logger, is dropped;
// every other line, and the same text from anywhere else, still prints.
const KNEX_DISPOSED_CONNECTION = "Connection Error: Connection ended unexpectedly"
const ANSI_COLOUR = /\u001b\[\d+(;\d+)*m/g
const fromKnexLogger = () => /[\\/]node_modules[\\/]knex[\\/]lib[\\/]logger\.js:/.test(new Error().stack ?? "")
const log = console.log
console.log = function (...args) {
  if (
    args.length === 1 &&
    typeof args[0] === "string" &&
    args[0].replace(ANSI_COLOUR, "") === KNEX_DISPOSED_CONNECTION &&
    fromKnexLogger()
  ) {
    return
  }
  return log.apply(this, args)
}
