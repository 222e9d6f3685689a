import { Context, Logger } from "@medusajs/framework/types"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import Redis from "ioredis"
import { SpApi } from "../../lib/amazon/api"
import { amazonSpApiHost, AmazonRegion, endpointRefusal, LWA_TOKEN_URL, REGIONS } from "../../lib/amazon/endpoints"
import { DoorErrorCode } from "../../lib/amazon/errors"
import { DoorEvent, SpApiClient } from "../../lib/amazon/http"
import { LwaTokenProvider } from "../../lib/amazon/lwa"
import { BucketStore, MemoryBucketStore, RedisBucketStore } from "../../lib/amazon/token-bucket"
import { FRAMEWORK_OPTION_KEYS, PluginOptions, PluginOptionsSchema } from "../../types/plugin-options"
import { AccountSettingsSchema } from "../../types/account-settings"
import {
  AmazonAccount,
  AmazonFbaStock,
  AmazonFeed,
  AmazonFeedMessage,
  AmazonListing,
  AmazonOrder,
  AmazonOrderAction,
  AmazonStockEvent,
  AmazonStockOutbox,
  AmazonSyncCursor,
  AmazonSyncLog,
} from "./models"
import { parseEncryptionKey, SecretBox } from "./utils/crypto"
import { toMedusaError } from "./utils/to-medusa-error"

type InjectedDependencies = {
  logger: Logger
}

export interface CreateAmazonAccountInput {
  name: string
  region: AmazonRegion
  seller_id: string
  marketplace_ids: string[]
  lwa_client_id: string
  /** plain text in, stored encrypted */
  lwa_client_secret: string
  /** plain text in, stored encrypted */
  refresh_token: string
  /** Amazon's SP-API sandbox for the region instead of production. */
  sandbox?: boolean
  /** Endpoint overrides: only origins the store's configuration allows (see endpointRefusal). */
  sp_api_base_url?: string | null
  lwa_token_url?: string | null
  enabled?: boolean
  authorized_at?: Date | null
  settings?: Record<string, unknown> | null
}

export type UpdateAmazonAccountInput = Partial<CreateAmazonAccountInput> & { id: string }

/** Columns safe to return to the admin. The encrypted columns are never selected for a response. */
export const ACCOUNT_PUBLIC_FIELDS = [
  "id",
  "name",
  "region",
  "seller_id",
  "marketplace_ids",
  "lwa_client_id",
  "sandbox",
  "sp_api_base_url",
  "lwa_token_url",
  "enabled",
  "authorized_at",
  "settings",
  "created_at",
  "updated_at",
] as const

const SECRET_FIELDS = {
  lwa_client_secret: "lwa_client_secret_encrypted",
  refresh_token: "refresh_token_encrypted",
} as const

class AmazonModuleService extends MedusaService({
  AmazonAccount,
  AmazonListing,
  AmazonSyncCursor,
  AmazonStockOutbox,
  AmazonStockEvent,
  AmazonFeed,
  AmazonFeedMessage,
  AmazonOrder,
  AmazonFbaStock,
  AmazonSyncLog,
  AmazonOrderAction,
}) {
  protected readonly options_: PluginOptions
  protected readonly logger_: Logger
  private readonly box_: SecretBox
  private readonly tokens_ = new LwaTokenProvider()
  private readonly clients_ = new Map<string, { version: string; api: SpApi }>()
  private bucketStore_?: BucketStore
  /** Rates Amazon announced, shared by every client this service makes (see SpApiClientConfig.learnedRates). */
  private readonly learnedRates_ = new Map<string, number>()
  private redis_?: Redis

  constructor(container: InjectedDependencies, options: PluginOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.logger_ = container.logger
    const parsed = PluginOptionsSchema.safeParse(options ?? {})
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Amazon plugin: invalid option "${issue.path.join(".") || "(root)"}": ${issue.message}`
      )
    }
    this.options_ = parsed.data
    const known = new Set(Object.keys(PluginOptionsSchema.shape))
    const unknown = Object.keys(options ?? {}).filter((k) => !known.has(k) && !FRAMEWORK_OPTION_KEYS.has(k))
    if (unknown.length) {
      // Not fatal (a newer option in an older plugin should not stop a store), but never silent.
      this.logger_.warn(`Amazon plugin: ignoring unknown option(s) ${unknown.map((k) => `"${k}"`).join(", ")}`)
    }
    const rawKey = this.options_.encryptionKey ?? process.env.AMAZON_ENCRYPTION_KEY
    if (!rawKey) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "Amazon plugin: the option \"encryptionKey\" (or the AMAZON_ENCRYPTION_KEY environment variable) is required " +
          "to encrypt Amazon credentials at rest. Generate one with `openssl rand -hex 32`."
      )
    }
    const key = parseEncryptionKey(rawKey)
    if (!key) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "Amazon plugin: \"encryptionKey\" must be 32 bytes given as 64 hex characters or base64 (`openssl rand -hex 32`)."
      )
    }
    this.box_ = new SecretBox(key)
  }

  __hooks = {
    onApplicationStart: async () => {
      // Secrets written before the row id joined the associated data are rewritten once, at start-up.
      await this.migrateLegacySecrets().catch((e) =>
        this.logger_.error(`Amazon plugin: could not re-encrypt stored credentials: ${(e as Error)?.message ?? e}`)
      )
    },
    onApplicationShutdown: async () => {
      await this.redis_?.quit().catch(() => undefined)
    },
  }

  /** Creates accounts, encrypting the secrets (bound to the new row's id) before they reach the database. */
  async createAccounts(input: CreateAmazonAccountInput[]) {
    const rows = input.map((a) => this.toRow(a, generateEntityId(undefined, "amzacc")))
    const created = await this.createAmazonAccounts(rows)
    return created.map((a) => publicAccount(a))
  }

  async updateAccount(input: UpdateAmazonAccountInput) {
    const { id, ...rest } = input
    const row = this.toRow(rest, id)
    const updated = await this.updateAmazonAccounts({ id, ...row })
    this.clients_.delete(id)
    return publicAccount(updated)
  }

  /** The decrypted LWA credentials of an account. In memory only; never log or return them. */
  async getAccountCredentials(accountId: string): Promise<{ clientId: string; clientSecret: string; refreshToken: string }> {
    const account = await this.retrieveAmazonAccount(accountId)
    if (!account.lwa_client_secret_encrypted || !account.refresh_token_encrypted) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Amazon account ${accountId} has no stored credentials; enter them again`)
    }
    if (SecretBox.isLegacy(account.lwa_client_secret_encrypted) || SecretBox.isLegacy(account.refresh_token_encrypted)) {
      await this.migrateLegacySecrets(accountId)
      return this.getAccountCredentials(accountId)
    }
    return {
      clientId: account.lwa_client_id,
      clientSecret: this.box_.decrypt(account.lwa_client_secret_encrypted, "lwa_client_secret", account.id),
      refreshToken: this.box_.decrypt(account.refresh_token_encrypted, "refresh_token", account.id),
    }
  }

  /**
   * Rewrites secrets stored in the legacy v1 form (bound to the column only) as v2 (bound to column and
   * row), so a ciphertext cannot be moved onto another account. Idempotent; runs at start-up and before a
   * legacy value is used. Returns how many accounts were rewritten.
   */
  @InjectTransactionManager()
  async migrateLegacySecrets(accountId?: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const manager = sharedContext.transactionManager as any
    const rows: { id: string; lwa_client_secret_encrypted: string; refresh_token_encrypted: string }[] = await manager.execute(
      `select id, lwa_client_secret_encrypted, refresh_token_encrypted from amazon_account
        where (lwa_client_secret_encrypted like 'v1:%' or refresh_token_encrypted like 'v1:%')
          ${accountId ? "and id = ?" : ""}
        for update`,
      accountId ? [accountId] : []
    )
    for (const row of rows) {
      const next: Record<string, string> = {}
      for (const [field, column] of Object.entries(SECRET_FIELDS) as [keyof typeof SECRET_FIELDS, string][]) {
        const stored = (row as Record<string, string>)[column]
        if (SecretBox.isLegacy(stored)) {
          next[column] = this.box_.encrypt(this.box_.decryptLegacy(stored, field), field, row.id)
        }
      }
      const columns = Object.keys(next)
      await manager.execute(
        `update amazon_account set ${columns.map((c) => `"${c}" = ?`).join(", ")} where id = ?`,
        [...columns.map((c) => next[c]), row.id]
      )
    }
    if (rows.length) {
      this.logger_.info(`Amazon plugin: re-encrypted the credentials of ${rows.length} account(s) bound to their row`)
    }
    return rows.length
  }

  /**
   * Disconnect: the encrypted secrets of a (soft-deleted) account are overwritten, so nothing usable is
   * left behind in the database or its backups from then on; cached clients and tokens are dropped.
   */
  @InjectTransactionManager()
  async wipeAccountSecrets(accountId: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    const manager = sharedContext.transactionManager as any
    await manager.execute(
      `update amazon_account set lwa_client_secret_encrypted = '', refresh_token_encrypted = '' where id = ?`,
      [accountId]
    )
    this.clients_.delete(accountId)
  }

  /**
   * Where an account's calls go: its own overrides (only if the store's configuration allows them), else
   * the plugin options' endpoints (configuration), else Amazon's hosts for its region (sandbox or not).
   * Throws NOT_ALLOWED for a stored override the configuration does not allow (a row written before this
   * check, or a configuration that changed since): such an account makes no call at all.
   */
  resolveAccountEndpoints(account: {
    region: string
    sandbox?: boolean | null
    sp_api_base_url?: string | null
    lwa_token_url?: string | null
  }): { spApiBaseUrl: string; lwaTokenUrl: string } {
    try {
      this.assertEndpointsAllowed(account)
    } catch (e) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, (e as Error).message, DoorErrorCode.ENDPOINT_NOT_ALLOWED)
    }
    return {
      spApiBaseUrl:
        account.sp_api_base_url || this.options_.spApiBaseUrl || amazonSpApiHost(account.region as AmazonRegion, Boolean(account.sandbox)),
      lwaTokenUrl: account.lwa_token_url || this.options_.lwaTokenUrl || LWA_TOKEN_URL,
    }
  }

  /** 400 (INVALID_DATA) when an endpoint override points anywhere the store's configuration does not allow. */
  assertEndpointsAllowed(input: { sp_api_base_url?: string | null; lwa_token_url?: string | null }): void {
    for (const field of ["sp_api_base_url", "lwa_token_url"] as const) {
      const url = input[field]
      if (!url) continue
      const refusal = endpointRefusal(url, this.options_)
      if (refusal) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `Field '${field}' ${refusal}. The credentials are sent only to Amazon; a simulator or proxy must be allowed in the store's configuration.`
        )
      }
    }
  }

  /**
   * The typed SP-API client of an account, built once per account version. Every Amazon call of the
   * plugin goes through here, so every call shares the account's token cache and quota buckets.
   */
  async getSpApi(accountId: string): Promise<SpApi> {
    const account = await this.retrieveAmazonAccount(accountId)
    const version = new Date(account.updated_at as unknown as string).toISOString()
    const cached = this.clients_.get(accountId)
    if (cached && cached.version === version) {
      return cached.api
    }
    const endpoints = this.resolveAccountEndpoints(account)
    const credentials = await this.getAccountCredentials(accountId)
    const client = new SpApiClient({
      sellerId: account.seller_id,
      region: account.region as AmazonRegion,
      credentials,
      endpoints,
      tokenProvider: this.tokens_,
      bucketStore: this.getBucketStore(),
      learnedRates: this.learnedRates_,
      timeoutMs: this.options_.requestTimeoutMs,
      maxQueueWaitMs: this.options_.maxQueueWaitMs,
      retry: this.options_.maxAttempts ? { maxAttempts: this.options_.maxAttempts } : undefined,
      onEvent: (e) => this.logDoorEvent(account.id, e),
    })
    const api = new SpApi(client)
    this.clients_.set(accountId, { version, api })
    return api
  }

  /**
   * Runs Amazon calls for an account and maps AmazonApiError to MedusaError in this one place.
   * Callers that need Amazon's code (retry decisions) use getSpApi directly and keep the typed error.
   */
  async callAmazon<T>(accountId: string, fn: (api: SpApi) => Promise<T>): Promise<T> {
    const api = await this.getSpApi(accountId)
    try {
      return await fn(api)
    } catch (e) {
      throw toMedusaError(e)
    }
  }

  /** "Test connection": token exchange + getMarketplaceParticipations. */
  async testConnection(accountId: string) {
    return this.callAmazon(accountId, async (api) => {
      const started = Date.now()
      const res = await api.getMarketplaceParticipations()
      return {
        ok: true as const,
        latency_ms: Date.now() - started,
        request_id: res.requestId ?? null,
        marketplaces: (res.data.payload ?? []).map((p) => ({
          id: p.marketplace.id,
          name: p.marketplace.name,
          country_code: p.marketplace.countryCode,
          currency_code: p.marketplace.defaultCurrencyCode,
          is_participating: p.participation.isParticipating,
        })),
      }
    })
  }

  /** Reads a named watermark, creating an empty cursor the first time. */
  async getOrCreateCursor(accountId: string, stream: string, scope = "") {
    const [existing] = await this.listAmazonSyncCursors({ account_id: accountId, stream, scope }, { take: 1 })
    if (existing) {
      return existing
    }
    return this.createAmazonSyncCursors({ account_id: accountId, stream, scope })
  }

  /**
   * Records that variants' sellable stock may have changed (order import, admin, retries, the reconcile).
   * One upsert per 20,000 variants: a variant already queued gets its version bumped (coalescing), so a
   * burst of changes costs one push. Never calls Amazon.
   */
  @InjectTransactionManager()
  async enqueueStockChanges(
    items: { variant_id: string; reason: string; urgent?: boolean }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return upsertStockOutbox(sharedContext.transactionManager, items)
  }

  /**
   * Records raw stock events for the push to resolve later (see AmazonStockEvent): one multi-row insert,
   * no lookups, no upsert. This is all the subscriber does, so it must stay a single cheap statement.
   */
  @InjectManager()
  async recordStockEvents(
    events: { name: string; kind: string; ref_id: string }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    if (!events.length) {
      return 0
    }
    // A single statement is atomic on its own: no BEGIN/COMMIT round trips for the subscriber.
    const manager = sharedContext.manager as any
    const values: unknown[] = []
    const rows = events.map((e) => {
      values.push(generateEntityId(undefined, "amzsev"), e.name, e.kind, e.ref_id)
      return "(?, ?, ?, ?)"
    })
    await manager.execute(`insert into amazon_stock_event (id, name, kind, ref_id) values ${rows.join(", ")}`, values, "run")
    return events.length
  }

  /**
   * Moves resolved stock events into the outbox: upserts the variants' rows (coalescing like
   * enqueueStockChanges, with the event's time as the enqueue time so the queue's age counts from the
   * event, not from the push that resolved it) and deletes exactly the event rows that were resolved, in
   * one transaction. A crash before the commit leaves the events pending for the next run; events
   * recorded meanwhile are not touched.
   */
  @InjectTransactionManager()
  async applyStockEvents(
    items: { variant_id: string; reason: string; at?: Date }[],
    eventIds: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ enqueued: number; deleted: number }> {
    const manager = sharedContext.transactionManager as any
    const enqueued = await upsertStockOutbox(manager, items)
    let deleted = 0
    for (let i = 0; i < eventIds.length; i += 10000) {
      const part = eventIds.slice(i, i + 10000)
      const res = await manager.execute(`delete from amazon_stock_event where id in (${part.map(() => "?").join(", ")})`, part, "run")
      deleted += Number(res?.affectedRows ?? res?.rowCount ?? 0)
    }
    return { enqueued, deleted }
  }

  /** Stores a failure or notable event for the admin (and logs it without secrets). */
  async recordSyncLog(entry: {
    account_id?: string | null
    stream: string
    level?: "info" | "warn" | "error"
    code?: string | null
    message: string
    context?: Record<string, unknown> | null
  }) {
    const level = entry.level ?? "error"
    this.logger_[level === "error" ? "error" : level === "warn" ? "warn" : "info"](
      `amazon ${entry.stream}: ${entry.code ? `${entry.code}: ` : ""}${entry.message}`
    )
    return this.createAmazonSyncLogs({ ...entry, level })
  }

  // --- FBA stock ---
  /**
   * Remembers the FBA stock location of a marketplace in the account settings
   * (settings.fba_location_ids[marketplaceId]). One jsonb statement that touches only that key, so a
   * concurrent writer of other settings (admin, order import) is never overwritten by a stale copy.
   * updated_at is left alone on purpose: it versions the cached SP-API client, which this does not affect.
   */
  @InjectTransactionManager()
  async setFbaLocationId(
    accountId: string,
    marketplaceId: string,
    locationId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const manager = sharedContext.transactionManager as any
    await manager.execute(
      `update amazon_account
         set settings = jsonb_set(
           (case when jsonb_typeof(settings) = 'object' then settings else '{}'::jsonb end),
           '{fba_location_ids}',
           (case when jsonb_typeof(settings -> 'fba_location_ids') = 'object'
                 then settings -> 'fba_location_ids' else '{}'::jsonb end) || jsonb_build_object(?::text, ?::text),
           true)
       where id = ? and deleted_at is null`,
      [marketplaceId, locationId, accountId]
    )
  }
  // --- end FBA stock ---

  // --- admin ---
  /**
   * Sets and removes top-level keys of an account's settings in one statement, leaving every other key
   * as it is in the database (the FBA sync writes fba_location_ids concurrently; a stale full copy from an
   * admin form must not overwrite it). The result is validated inside the same transaction: invalid
   * settings roll back. updated_at is left alone: it versions the cached SP-API client, which settings do
   * not affect. Returns the settings before and after, so a workflow can undo the change.
   */
  @InjectTransactionManager()
  async mergeAccountSettings(
    accountId: string,
    patch: { set: Record<string, unknown>; unset: string[] },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ before: Record<string, unknown>; after: Record<string, unknown> }> {
    const manager = sharedContext.transactionManager as any
    const current = await manager.execute(
      `select settings from amazon_account where id = ? and deleted_at is null for update`,
      [accountId]
    )
    if (!current?.length) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Amazon account with id: ${accountId} was not found`)
    }
    const before = (current[0].settings ?? {}) as Record<string, unknown>
    const rows = await manager.execute(
      `update amazon_account
         set settings = ((case when jsonb_typeof(settings) = 'object' then settings else '{}'::jsonb end) || ?::jsonb)${patch.unset.map(() => " - ?::text").join("")}
       where id = ? and deleted_at is null
       returning settings`,
      [JSON.stringify(patch.set), ...patch.unset, accountId]
    )
    const after = (rows[0]?.settings ?? {}) as Record<string, unknown>
    const parsed = AccountSettingsSchema.safeParse(after)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Invalid account settings: "${issue.path.join(".") || "(root)"}": ${issue.message}`
      )
    }
    return { before, after }
  }

  /**
   * Drops the account's cached LWA access token, so the next call exchanges the refresh token again.
   * "Test connection" needs this: a cached token keeps working after the client secret was changed, and
   * would hide a secret that no longer works until the token expires an hour later.
   */
  async forgetAccessToken(accountId: string): Promise<void> {
    const api = await this.getSpApi(accountId)
    const credentials = await this.getAccountCredentials(accountId)
    this.tokens_.invalidate(api.client.endpoints.lwaTokenUrl, credentials)
  }
  // --- end admin ---

  // --- stock push ---
  /**
   * Writes per-listing push state (each row its own values) for thousands of listings at once. The
   * generated updateAmazonListings first reads rows with `id = ? or id = ? …`, which PostgreSQL plans
   * slowly beyond a few hundred ids (minutes for a 25,000-message feed); this is one
   * `update … from json_to_recordset(…)` per 20,000 rows and per set of columns. Unknown columns are refused.
   */
  @InjectTransactionManager()
  async updateListingPushStates(
    rows: ({ id: string } & Partial<Record<(typeof LISTING_PUSH_COLUMNS)[number], unknown>>)[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return bulkUpdateById(sharedContext.transactionManager, "amazon_listing", LISTING_PUSH_COLUMN_TYPES, rows)
  }

  /** Records the outcome of feed messages in bulk (status, Amazon's issues, time). */
  @InjectTransactionManager()
  async updateFeedMessageOutcomes(
    rows: { id: string; status: string; issues: unknown; processed_at: Date }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return bulkUpdateById(sharedContext.transactionManager, "amazon_feed_message", FEED_MESSAGE_OUTCOME_COLUMN_TYPES, rows)
  }

  /**
   * Reads queued stock changes, urgent ones and the oldest first, as plain rows. One raw select: the
   * generated list method builds an ORM entity per row, which costs seconds for a 50,000-row run.
   */
  @InjectManager()
  async readStockOutboxRows(
    limit: number,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ id: string; variant_id: string; version: number; urgent: boolean; reason: string; first_enqueued_at: Date }[]> {
    const { rows } = await runBound(
      sharedContext.manager,
      `select id, variant_id, version, urgent, reason, first_enqueued_at
         from amazon_stock_outbox
        where deleted_at is null
        order by urgent desc, first_enqueued_at asc, id asc
        limit ?`,
      [Math.max(0, Math.floor(limit))]
    )
    return rows
  }

  /**
   * Removes pushed outbox rows, but only at the version the push read: a row bumped meanwhile stays
   * queued for the next run (nothing is lost between reading and recording). The (id, version) pairs
   * travel as one JSON parameter per 20,000 rows and are joined in (a row-value IN list of that size is
   * planned slowly).
   */
  @InjectTransactionManager()
  async completeStockChanges(
    rows: { id: string; version: number }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    const manager = sharedContext.transactionManager as any
    let deleted = 0
    for (let i = 0; i < rows.length; i += BULK_JSON_ROWS) {
      const part = rows.slice(i, i + BULK_JSON_ROWS).map((r) => ({ id: r.id, version: r.version }))
      const res = await runBound(
        manager,
        `delete from amazon_stock_outbox as o
          using json_to_recordset(?::json) as r(id text, version integer)
          where o.id = r.id and o.version = r.version`,
        [JSON.stringify(part)]
      )
      deleted += Number(res.rowCount ?? 0)
    }
    return deleted
  }

  /**
   * Records a feed's message map (message id → listing, SKU, quantity) with one multi-row insert per
   * 2,500 messages; the generated createAmazonFeedMessages builds and flushes an ORM entity per row,
   * which takes seconds for a 25,000-message feed. Ids are shaped like the model's (`amzfm_` + ULID, see
   * bulkEntityIds);
   * status, created_at and updated_at take their column defaults.
   */
  @InjectTransactionManager()
  async createFeedMessagesBulk(
    feedId: string,
    messages: { message_id: number; listing_id: string; seller_sku: string; quantity: number }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    const manager = sharedContext.transactionManager as any
    // One JSON parameter per BULK_JSON_ROWS messages: a bound value per cell made knex rewrite 15,000
    // placeholders per statement.
    for (let i = 0; i < messages.length; i += BULK_JSON_ROWS) {
      const part = messages.slice(i, i + BULK_JSON_ROWS)
      const ids = bulkEntityIds("amzfm", part.length)
      await runBound(
        manager,
        `insert into amazon_feed_message (id, feed_id, message_id, listing_id, seller_sku, quantity)
         select r.id, ?, r.message_id, r.listing_id, r.seller_sku, r.quantity
           from json_to_recordset(?::json) as r(id text, message_id integer, listing_id text, seller_sku text, quantity integer)`,
        [feedId, JSON.stringify(part.map((m, k) => ({ id: ids[k], message_id: m.message_id, listing_id: m.listing_id, seller_sku: m.seller_sku, quantity: m.quantity })))]
      )
    }
    return messages.length
  }

  /**
   * A submitted feed's listings wait for its result: push_status "pending", the feed as pending_feed_id,
   * the quantity sent — one statement from the feed's own message rows, so no per-listing list is built
   * or sent for a 25,000-message feed.
   */
  @InjectTransactionManager()
  async markFeedListingsPending(feedId: string, submittedAt: Date, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const res = await runBound(
      sharedContext.transactionManager,
      `update amazon_listing as l
          set push_status = 'pending', pending_feed_id = m.feed_id, last_sent_quantity = m.quantity, last_sent_at = ?, updated_at = now()
         from amazon_feed_message m
        where m.feed_id = ? and m.deleted_at is null and l.id = m.listing_id and l.deleted_at is null`,
      [submittedAt.toISOString(), feedId]
    )
    return Number(res.rowCount ?? 0)
  }
  // --- end stock push ---

  private getBucketStore(): BucketStore {
    if (!this.bucketStore_) {
      const url = this.options_.redisUrl ?? process.env.AMAZON_REDIS_URL ?? process.env.REDIS_URL
      if (url) {
        // One connection for all accounts; buckets are keyed by seller + operation.
        this.redis_ = new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: true, lazyConnect: false })
        this.bucketStore_ = new RedisBucketStore(this.redis_)
      } else {
        this.bucketStore_ = new MemoryBucketStore()
      }
    }
    return this.bucketStore_
  }

  private logDoorEvent(accountId: string, e: DoorEvent) {
    // Log-safe by construction: DoorEvent carries no token, header or body.
    switch (e.type) {
      case "throttled":
        this.logger_.warn(`amazon: ${e.operation} throttled (429) account=${accountId} requestId=${e.requestId ?? "-"}`)
        break
      case "retry":
        this.logger_.info(
          `amazon: retrying ${e.operation} account=${accountId} attempt=${e.attempt} in ${e.delayMs}ms code=${e.code}`
        )
        break
      case "rate-adjusted":
        this.logger_.info(`amazon: ${e.operation} rate set to ${e.rate}/s by Amazon account=${accountId}`)
        break
      case "wait":
        if (e.waitMs >= 1000) {
          this.logger_.debug(`amazon: ${e.operation} waiting ${e.waitMs}ms for quota account=${accountId}`)
        }
        break
      default:
        break
    }
  }

  private toRow(input: Partial<CreateAmazonAccountInput>, id: string) {
    const { lwa_client_secret, refresh_token, ...rest } = input
    if (rest.region !== undefined && !REGIONS.includes(rest.region)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Unknown Amazon region "${rest.region}"`)
    }
    this.assertEndpointsAllowed(rest)
    const row: Record<string, unknown> = { ...rest, id }
    if (lwa_client_secret !== undefined) {
      row[SECRET_FIELDS.lwa_client_secret] = this.box_.encrypt(lwa_client_secret, "lwa_client_secret", id)
    }
    if (refresh_token !== undefined) {
      row[SECRET_FIELDS.refresh_token] = this.box_.encrypt(refresh_token, "refresh_token", id)
      // A new refresh token is a new authorisation: the 365-day clock restarts.
      row.authorized_at = rest.authorized_at ?? new Date()
    }
    return row as any
  }

  /** Days a closed Amazon order keeps its buyer data (option buyerDataRetentionDays, default 30). */
  getBuyerDataRetentionDays(): number {
    return this.options_.buyerDataRetentionDays ?? 30
  }
}

// --- stock push ---
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * `count` ids shaped like generateEntityId's (`<prefix>_` + a 26-character ULID: 48-bit time, 80 random
 * bits, Crockford base32). generateEntityId draws a separate crypto buffer per character (26 per id):
 * over 3 s of CPU, and millions of small buffers, for the 100,000 ids of a reconcile. Here one buffer
 * serves the whole batch (256 is a multiple of 32, so `byte & 31` stays uniform).
 */
function bulkEntityIds(prefix: string, count: number): string[] {
  let now = Date.now()
  let time = ""
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[now % 32] + time
    now = Math.floor(now / 32)
  }
  const head = `${prefix}_${time}`
  // Web Crypto (a global in Node ≥ 19) fills at most 65,536 bytes per call.
  const random = new Uint8Array(count * 16)
  for (let at = 0; at < random.length; at += 65_536) {
    globalThis.crypto.getRandomValues(random.subarray(at, Math.min(random.length, at + 65_536)))
  }
  const ids = new Array<string>(count)
  for (let i = 0; i < count; i++) {
    let tail = ""
    for (let j = i * 16, end = j + 16; j < end; j++) {
      tail += CROCKFORD[random[j] & 31]
    }
    ids[i] = head + tail
  }
  return ids
}

/**
 * The outbox upsert behind every enqueue: one row per variant (duplicates merged first, urgent wins),
 * passed as one JSON parameter per 20,000 rows. A variant already queued gets its version bumped; a change
 * older than the row's last enqueue (an event recorded before a reconcile queued the variant, resolved
 * after it) keeps the row's newer reason, so the admin and the feed's purpose show the latest cause.
 * `at` is when the change happened (default now): the queue's age counts from there.
 */
async function upsertStockOutbox(
  manager: any,
  items: { variant_id: string; reason: string; urgent?: boolean; at?: Date }[]
): Promise<number> {
  const now = new Date()
  // Per variant: the earliest change (the queue's age), the latest one and its reason, urgent if any is.
  const unique = new Map<string, { variant_id: string; reason: string; urgent: boolean; first: Date; last: Date }>()
  for (const i of items) {
    if (!i.variant_id) continue
    const at = i.at ?? now
    const prev = unique.get(i.variant_id)
    if (!prev) {
      unique.set(i.variant_id, { variant_id: i.variant_id, reason: i.reason, urgent: Boolean(i.urgent), first: at, last: at })
      continue
    }
    prev.urgent ||= Boolean(i.urgent)
    if (at < prev.first) prev.first = at
    if (at >= prev.last) {
      prev.last = at
      prev.reason = i.reason
    }
  }
  const rows = [...unique.values()]
  for (let i = 0; i < rows.length; i += BULK_JSON_ROWS) {
    const slice = rows.slice(i, i + BULK_JSON_ROWS)
    const ids = bulkEntityIds("amzobx", slice.length)
    const part = slice.map((r, k) => ({
      id: ids[k],
      variant_id: r.variant_id,
      reason: r.reason,
      urgent: r.urgent,
      first: r.first.toISOString(),
      last: r.last.toISOString(),
    }))
    await runBound(
      manager,
      `insert into amazon_stock_outbox (id, variant_id, reason, event_count, version, first_enqueued_at, last_enqueued_at, urgent)
       select r.id, r.variant_id, r.reason, 1, 1, r.first, r.last, r.urgent
         from json_to_recordset(?::json) as r(id text, variant_id text, reason text, urgent boolean, first timestamptz, last timestamptz)
       on conflict (variant_id) where deleted_at is null do update set
         reason = case when excluded.last_enqueued_at >= amazon_stock_outbox.last_enqueued_at then excluded.reason else amazon_stock_outbox.reason end,
         event_count = amazon_stock_outbox.event_count + 1,
         version = amazon_stock_outbox.version + 1,
         last_enqueued_at = greatest(amazon_stock_outbox.last_enqueued_at, excluded.last_enqueued_at),
         urgent = amazon_stock_outbox.urgent or excluded.urgent,
         updated_at = now()`,
      [JSON.stringify(part)]
    )
  }
  return rows.length
}

/**
 * Runs a statement with real bind parameters ($1, $2 …) on the manager's transaction (or connection).
 * `manager.execute` inlines every parameter into the SQL text first, and pg's escapeLiteral does that one
 * character at a time: for a megabyte of JSON that is a million string concatenations, hundreds of MB of
 * garbage per reconcile.
 */
async function runBound(manager: any, sql: string, bindings: unknown[]): Promise<{ rows: any[]; rowCount: number | null }> {
  const knex = manager.getTransactionContext?.() ?? manager.getKnex()
  return knex.raw(sql, bindings)
}

/** Rows per JSON parameter of the bulk statements (outbox, feed messages, listing states): a few MB of text each. */
const BULK_JSON_ROWS = 20_000

const LISTING_PUSH_COLUMN_TYPES = {
  last_accepted_quantity: "integer",
  last_accepted_at: "timestamptz",
  last_sent_quantity: "integer",
  last_sent_at: "timestamptz",
  push_status: "text",
  pending_feed_id: "text",
  last_error_code: "text",
  last_error: "text",
  retry_count: "integer",
  next_retry_at: "timestamptz",
} as const
const LISTING_PUSH_COLUMNS = Object.keys(LISTING_PUSH_COLUMN_TYPES) as (keyof typeof LISTING_PUSH_COLUMN_TYPES)[]

const FEED_MESSAGE_OUTCOME_COLUMN_TYPES = {
  status: "text",
  issues: "jsonb",
  processed_at: "timestamptz",
} as const

/**
 * `update <table> set c = v.c … from json_to_recordset(?) as v(id text, c <type>, …) where <table>.id = v.id`,
 * grouped by the set of columns each row carries: one JSON parameter per BULK_JSON_ROWS rows (a `values`
 * list with a bound parameter per cell made knex rewrite half a million placeholders for a 100,000-SKU
 * push). Column names come from the typed whitelist only; every value travels inside the JSON parameter.
 */
async function bulkUpdateById(
  manager: any,
  table: string,
  types: Record<string, string>,
  rows: Record<string, unknown>[]
): Promise<number> {
  const groups = new Map<string, { columns: string[]; rows: Record<string, unknown>[] }>()
  for (const row of rows) {
    const columns = Object.keys(row).filter((k) => k !== "id" && row[k] !== undefined)
    for (const c of columns) {
      if (!(c in types)) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `${table}: column "${c}" cannot be bulk-updated`)
      }
    }
    if (!columns.length) continue
    const key = columns.sort().join(",")
    const group = groups.get(key) ?? { columns, rows: [] }
    group.rows.push(row)
    groups.set(key, group)
  }
  let updated = 0
  for (const { columns, rows: groupRows } of groups.values()) {
    const set = columns.map((c) => `"${c}" = v."${c}"`).join(", ")
    const record = ["id text", ...columns.map((c) => `"${c}" ${types[c]}`)].join(", ")
    for (let i = 0; i < groupRows.length; i += BULK_JSON_ROWS) {
      const part = groupRows.slice(i, i + BULK_JSON_ROWS).map((row) => {
        const out: Record<string, unknown> = { id: row.id }
        for (const c of columns) {
          const v = row[c]
          out[c] = v instanceof Date ? v.toISOString() : v
        }
        return out
      })
      const res = await runBound(
        manager,
        `update "${table}" as t set ${set}, updated_at = now()
           from json_to_recordset(?::json) as v(${record})
          where t.id = v.id and t.deleted_at is null`,
        [JSON.stringify(part)]
      )
      updated += Number(res?.rowCount ?? 0)
    }
  }
  return updated
}
// --- end stock push ---

/** Strips the encrypted columns, and reports only whether each secret is set. */
export function publicAccount<T extends Record<string, any>>(account: T) {
  const out: Record<string, unknown> = {}
  for (const f of ACCOUNT_PUBLIC_FIELDS) {
    if (f in account) {
      out[f] = account[f]
    }
  }
  out.lwa_client_secret_set = Boolean(account.lwa_client_secret_encrypted)
  out.refresh_token_set = Boolean(account.refresh_token_encrypted)
  return out as Pick<T, Extract<(typeof ACCOUNT_PUBLIC_FIELDS)[number], keyof T>> & {
    lwa_client_secret_set: boolean
    refresh_token_set: boolean
  }
}

export default AmazonModuleService
