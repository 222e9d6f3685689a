// medusaIntegrationTestRunner / moduleIntegrationTestRunner register MikroORM entities globally;
// clear them between suites so one file's models don't leak into the next.
const { MetadataStorage } = require("@mikro-orm/core")

MetadataStorage.clear()
