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
     * Default SP-API base URL and LWA token URL for accounts that have no override of their own (the local
     * simulator in development, a proxy). Configuration, never admin input: an account's own override must
     * have an origin allowed below. Without them an account talks to Amazon's own hosts for its region
     * (production, or Amazon's sandbox when the account is marked sandbox).
     */
    spApiBaseUrl: z.string().url().optional(),
    lwaTokenUrl: z.string().url().optional(),
    /**
     * Origins (`https://proxy.example.com`, `http://127.0.0.1:4567`) an account's sp_api_base_url /
     * lwa_token_url may point at besides Amazon's own hosts. Empty by default: the admin cannot send the
     * credentials anywhere but Amazon.
     */
    allowedEndpoints: z.array(z.string().url()).optional(),
    /**
     * Development only: allow any http(s) endpoint on a loopback host (127.0.0.0/8, ::1, localhost), e.g.
     * the SP-API simulator on a random port. Never set this on a store reachable by others.
     */
    allowLoopbackEndpoints: z.boolean().optional(),
    /**
     * Days after an Amazon order is closed (shipped or cancelled) before its buyer data (name, e-mail,
     * addresses, phone) is removed from the stored Amazon payload. Default 30, as Amazon's Data Protection
     * Policy expects; the Medusa order itself keeps what the store needs.
     */
    buyerDataRetentionDays: z.number().int().min(0).max(3650).optional(),
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
