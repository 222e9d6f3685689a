import { z } from "@medusajs/framework/zod"

/**
 * Options of the plugin (`plugins: [{ resolve: "medusa-amazon-stock-sync", options }]` in medusa-config).
 * Validated with zod when the module boots: a bad or missing option stops the server with a message that
 * names it.
 */
export const PluginOptionsSchema = z
  .object({
    /**
     * 32-byte key for AES-256-GCM encryption of the LWA client secret and refresh token at rest:
     * 64 hex characters or base64 (`openssl rand -hex 32`). Falls back to the AMAZON_ENCRYPTION_KEY
     * environment variable. Required: the plugin refuses to start without it.
     */
    encryptionKey: z.string().optional(),
    /**
     * Redis URL used to share Amazon's quota buckets between several Medusa instances of one store.
     * Falls back to AMAZON_REDIS_URL, then REDIS_URL. Without it, buckets live in process memory
     * (right for a single instance).
     */
    redisUrl: z.string().optional(),
    /**
     * Default SP-API base URL and LWA token URL for accounts that have no override of their own
     * (e.g. the local simulator in development, or Amazon's sandbox).
     */
    spApiBaseUrl: z.string().url().optional(),
    lwaTokenUrl: z.string().url().optional(),
    /** Longest time one SP-API call may queue for its quota before failing (ms). Default 15 minutes. */
    maxQueueWaitMs: z.number().int().positive().optional(),
    /** Per-attempt HTTP timeout for SP-API calls (ms). Default 30 s. */
    requestTimeoutMs: z.number().int().positive().optional(),
    /** Attempts per SP-API call for retryable failures (429, 5xx, network). Default 5. */
    maxAttempts: z.number().int().min(1).max(10).optional(),
  })
  .passthrough()

/** Keys Medusa itself adds to every module's options. */
export const FRAMEWORK_OPTION_KEYS = new Set(["database", "cloud"])

export type PluginOptions = z.infer<typeof PluginOptionsSchema>
