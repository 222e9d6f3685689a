import { defineConfig, loadEnv } from "@medusajs/framework/utils"

/**
 * A store configuration that loads this plugin from source. Used by the integration tests
 * (medusaIntegrationTestRunner loads the app from the working directory) and by `npm run demo`.
 * A merchant's own store lists the published package under `plugins` instead (see README).
 */
loadEnv(process.env.NODE_ENV || "development", process.cwd())

const redisUrl = process.env.REDIS_URL

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLE === "true",
  },
  modules: [
    {
      resolve: "./src/modules/amazon",
      options: {
        encryptionKey: process.env.AMAZON_ENCRYPTION_KEY,
        redisUrl: process.env.AMAZON_REDIS_URL,
        spApiBaseUrl: process.env.AMAZON_SP_API_BASE_URL || undefined,
        lwaTokenUrl: process.env.AMAZON_LWA_TOKEN_URL || undefined,
        // Where an account's endpoint overrides may point besides Amazon (comma-separated origins), and
        // the development switch for the simulator on a loopback port. Configuration, never admin input.
        allowedEndpoints: (process.env.AMAZON_ALLOWED_ENDPOINTS || "").split(",").map((s) => s.trim()).filter(Boolean),
        allowLoopbackEndpoints: process.env.AMAZON_ALLOW_LOOPBACK_ENDPOINTS === "true",
      },
    },
    {
      // Medusa's default manual provider plus the plugin's Multi-Channel Fulfillment provider (amazon-mcf_amazon-mcf)
      resolve: "@medusajs/medusa/fulfillment",
      options: {
        providers: [
          { resolve: "@medusajs/medusa/fulfillment-manual", id: "manual" },
          { resolve: "./src/providers/amazon-mcf", id: "amazon-mcf" },
        ],
      },
    },
  ],
})
