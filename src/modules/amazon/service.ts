import { Context, Logger } from "@medusajs/framework/types"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import { SpApi } from "../../lib/amazon/api"
import { parseSqsQueueUrl, type SqsQueue } from "../../lib/aws/sqs-queue"
import { SqsQueueReader } from "../../lib/aws/sqs-reader"
import { AMAZON_REGIONS } from "../../lib/amazon/endpoints"
import { PluginOptions } from "../../types/plugin-options"
import {
  AmazonAccount,
  AmazonDriftCheck,
  AmazonFbaStock,
  AmazonFeed,
  AmazonFeedMessage,
  AmazonListing,
  AmazonListingPatch,
  AmazonMcfOrder,
  AmazonNotification,
  AmazonNotificationSetup,
  AmazonOrder,
  AmazonOrderAction,
  AmazonStockEvent,
  AmazonStockOutbox,
  AmazonSyncCursor,
  AmazonSyncLog,
} from "./models"
import {
  accountsRepository,
  feedMessagesRepository,
  listingsRepository,
  notificationsRepository,
  stockEventsRepository,
  stockOutboxRepository,
  syncLogsRepository,
} from "./repositories"
import type { NotificationInboxInput, NotificationInboxResult } from "./repositories"
import type { DriftListingRow, FeedMessageInput, FeedMessageOutcome, ListingPushState, SettingsPatch, SqlManager, StockEventInput, StockOutboxRow } from "./repositories"
import { AccountCredentials, AccountSecrets } from "./secrets"
import { SpApiClientFactory } from "./spapi/client-factory"
import { AccountEndpointFields, assertEndpointsAllowed, resolveAccountEndpoints } from "./spapi/endpoint-policy"
import { parsePluginOptions } from "./utils/parse-options"
import { registerProcessAmazonModule } from "./process-registry"
import { cancelMcfOrderAtAmazon } from "./utils/mcf-cancel"
import { publicAccount } from "./utils/public-account"
import { toMedusaError } from "./utils/to-medusa-error"
import { syncLogSubject } from "./utils/sync-log-subject"
import type { CreateAmazonAccountInput, UpdateAmazonAccountInput } from "./types"

export { ACCOUNT_PUBLIC_FIELDS, publicAccount } from "./utils/public-account"
export type { CreateAmazonAccountInput, UpdateAmazonAccountInput } from "./types"

/** The fields of one amazon_order row as the generated create method takes them. */
type AmazonOrderData = Extract<Parameters<AmazonModuleService["createAmazonOrders"]>[0], unknown[]>[number]

type InjectedDependencies = {
  logger: Logger
}

/**
 * The module's entry point: generated CRUD for its tables plus the operations the plugin needs. A facade:
 * the SQL lives in ./repositories (beside the tables it writes), secrets in ./secrets, the SP-API clients
 * in ./spapi. Methods that run SQL carry the Medusa decorators, which give them the shared context's
 * manager (or transaction) to hand on.
 */
class AmazonModuleService extends MedusaService({
  AmazonAccount,
  AmazonDriftCheck,
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
  AmazonListingPatch,
  AmazonNotification,
  AmazonNotificationSetup,
  AmazonMcfOrder,
}) {
  protected readonly options_: PluginOptions
  protected readonly logger_: Logger
  private readonly secrets_: AccountSecrets
  private readonly spApi_: SpApiClientFactory

  constructor(container: InjectedDependencies, options: PluginOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.logger_ = container.logger
    this.options_ = parsePluginOptions(options, this.logger_)
    this.secrets_ = new AccountSecrets(this.options_)
    this.spApi_ = new SpApiClientFactory(this.options_, this.logger_)
    registerProcessAmazonModule(this)
  }

  __hooks = {
    onApplicationStart: async () => {
      // Secrets written before the row id joined the associated data are rewritten once, at start-up.
      await this.migrateLegacySecrets().catch((e) =>
        this.logger_.error(`Amazon plugin: could not re-encrypt stored credentials: ${(e as Error)?.message ?? e}`)
      )
    },
    onApplicationShutdown: async () => {
      await this.spApi_.close()
    },
  }

  // --- accounts and secrets ---
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
    this.spApi_.forget(id)
    return publicAccount(updated)
  }

  /** The decrypted LWA credentials of an account. In memory only; never log or return them. */
  async getAccountCredentials(accountId: string): Promise<AccountCredentials> {
    const credentials = this.secrets_.open(await this.retrieveAmazonAccount(accountId))
    if (credentials) {
      return credentials
    }
    await this.migrateLegacySecrets(accountId)
    return this.getAccountCredentials(accountId)
  }

  /** Rewrites legacy v1 secrets as v2, bound to their row (see AccountSecrets.reencryptLegacy). Returns how many accounts. */
  @InjectTransactionManager()
  async migrateLegacySecrets(accountId?: string, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    const count = await this.secrets_.reencryptLegacy(sharedContext.transactionManager as SqlManager, accountId)
    if (count) {
      this.logger_.info(`Amazon plugin: re-encrypted the credentials of ${count} account(s) bound to their row`)
    }
    return count
  }

  /**
   * Disconnect: the encrypted secrets of a (soft-deleted) account are overwritten, so nothing usable is
   * left behind in the database or its backups from then on; cached clients and tokens are dropped.
   */
  @InjectTransactionManager()
  async wipeAccountSecrets(accountId: string, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    await accountsRepository.wipeSecretColumns(sharedContext.transactionManager as SqlManager, accountId)
    this.spApi_.forget(accountId)
  }

  /** Sets FBA location of a marketplace in settings.fba_location_ids, touching only that key. */
  @InjectTransactionManager()
  async setFbaLocationId(
    accountId: string,
    marketplaceId: string,
    locationId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await accountsRepository.setFbaLocationId(sharedContext.transactionManager as SqlManager, accountId, marketplaceId, locationId)
  }

  /**
   * Sets and removes top-level settings keys, leaving the others as they are in the database; invalid
   * settings roll back. Returns the settings before and after, so a workflow can undo the change.
   */
  @InjectTransactionManager()
  async mergeAccountSettings(
    accountId: string,
    patch: SettingsPatch,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ before: Record<string, unknown>; after: Record<string, unknown> }> {
    return accountsRepository.mergeSettings(sharedContext.transactionManager as SqlManager, accountId, patch)
  }

  // --- SP-API ---
  /** Where an account's calls go (see resolveAccountEndpoints in ./spapi/endpoint-policy). */
  resolveAccountEndpoints(account: AccountEndpointFields): { spApiBaseUrl: string; lwaTokenUrl: string } {
    return resolveAccountEndpoints(account, this.options_)
  }

  /** 400 (INVALID_DATA) when an endpoint override points anywhere the store's configuration does not allow. */
  assertEndpointsAllowed(input: { sp_api_base_url?: string | null; lwa_token_url?: string | null }): void {
    assertEndpointsAllowed(input, this.options_)
  }

  /**
   * The typed SP-API client of an account, built once per account version. Every Amazon call of the
   * plugin goes through here, so every call shares the account's token cache and quota buckets.
   */
  async getSpApi(accountId: string): Promise<SpApi> {
    const account = await this.retrieveAmazonAccount(accountId)
    return this.spApi_.clientFor(account, () => this.getAccountCredentials(accountId))
  }

  /**
   * The account's grantless SP-API client for `scope` (the application's LWA client id and secret, no refresh
   * token): the Notifications API's destination calls need one. Same endpoints, token cache and buckets.
   */
  async getGrantlessSpApi(accountId: string, scope: string): Promise<SpApi> {
    const account = await this.retrieveAmazonAccount(accountId)
    return this.spApi_.clientFor(account, () => this.getAccountCredentials(accountId), scope)
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

  /**
   * Drops the account's cached LWA access token, so the next call exchanges the refresh token again.
   * "Test connection" needs this: a cached token keeps working after the client secret was changed, and
   * would hide a secret that no longer works until the token expires an hour later.
   */
  async forgetAccessToken(accountId: string): Promise<void> {
    const api = await this.getSpApi(accountId)
    const credentials = await this.getAccountCredentials(accountId)
    this.spApi_.invalidateAccessToken(api.client.endpoints.lwaTokenUrl, credentials)
  }

  // --- notifications (SQS) ---
  /**
   * The merchant's queue from its URL and region, or 400 (INVALID_DATA) with why not: a FIFO queue, a URL that
   * is not SQS's, or a host other than Amazon's that the store's configuration does not allow (like an SP-API
   * endpoint override, see endpointRefusal).
   */
  resolveNotificationQueue(queueUrl: string, region: string): SqsQueue {
    const queue = parseSqsQueueUrl(queueUrl, region, this.options_)
    if ("refusal" in queue) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Field 'queue_url': ${queue.refusal}.`)
    }
    return queue
  }

  /** A set-up's AWS secret, encrypted and bound to its row: what the set-up row stores. */
  sealAwsSecret(secret: string, setupId: string): string {
    return this.secrets_.sealAwsSecret(secret, setupId)
  }

  /** A reader of a set-up's queue with its decrypted AWS key (in memory only). */
  async openNotificationQueue(setupId: string): Promise<{ queue: SqsQueue; reader: SqsQueueReader }> {
    const setup = await this.retrieveAmazonNotificationSetup(setupId)
    const queue = this.resolveNotificationQueue(setup.queue_url, setup.aws_region)
    const reader = new SqsQueueReader(
      queue,
      { accessKeyId: setup.aws_access_key_id, secretAccessKey: this.secrets_.openAwsSecret(setup) },
      { requestTimeoutMs: this.options_.requestTimeoutMs ?? 30_000 }
    )
    return { queue, reader }
  }

  /** Records received messages in the inbox at once and idempotently (see notificationsRepository.recordInbox). */
  @InjectTransactionManager()
  async recordNotificationInbox(
    rows: NotificationInboxInput[],
    now: Date = new Date(),
    @MedusaContext() sharedContext: Context = {}
  ): Promise<NotificationInboxResult> {
    return notificationsRepository.recordInbox(sharedContext.transactionManager as SqlManager, rows, now)
  }

  @InjectManager()
  async countNotificationsOnSetup(
    setupId: string,
    add: { received?: number; applied?: number; duplicates?: number; invalid?: number },
    at: { last_receive_at?: Date; last_message_at?: Date } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    await notificationsRepository.countOnSetup(sharedContext.manager as SqlManager, setupId, add, at)
  }

  // --- Multi-Channel Fulfillment ---
  /** Cancels an MCF order at Amazon before Medusa cancels its fulfillment (see cancelMcfOrderAtAmazon). */
  async cancelMcfOrder(mcfOrderId: string): Promise<{ cancelled: boolean; note: string }> {
    return cancelMcfOrderAtAmazon(this, mcfOrderId)
  }

  // --- sync bookkeeping ---
  /** Reads a named watermark, creating an empty cursor the first time. */
  async getOrCreateCursor(accountId: string, stream: string, scope = "") {
    const [existing] = await this.listAmazonSyncCursors({ account_id: accountId, stream, scope }, { take: 1 })
    if (existing) {
      return existing
    }
    return this.createAmazonSyncCursors({ account_id: accountId, stream, scope })
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
    return this.createAmazonSyncLogs({ ...entry, level, subject_id: syncLogSubject(entry.context) })
  }

  /**
   * Closes every open warning and error whose cause went away (the listing was accepted since, the
   * stream succeeded since …; see repositories/sync-logs). Returns how many per rule.
   */
  @InjectTransactionManager()
  async settleSyncLogs(now: Date = new Date(), @MedusaContext() sharedContext: Context = {}): Promise<Record<string, number>> {
    return syncLogsRepository.settle(sharedContext.transactionManager as SqlManager, now)
  }

  /** Marks every open entry of these causes handled by `by` (an admin user id). Returns the ids closed. */
  @InjectTransactionManager()
  async resolveSyncLogCauses(
    causes: { account_id: string | null; stream: string; code: string | null }[],
    by: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string[]> {
    return syncLogsRepository.resolveCauses(sharedContext.transactionManager as SqlManager, causes, by, new Date())
  }

  /** Days a closed Amazon order keeps its buyer data (option buyerDataRetentionDays, default 30). */
  getBuyerDataRetentionDays(): number {
    return this.options_.buyerDataRetentionDays ?? 30
  }

  // --- stock push ---
  /**
   * Records that variants' sellable stock may have changed (order import, admin, retries, the reconcile):
   * a variant already queued gets its version bumped (coalescing), so a burst of changes costs one push.
   * Never calls Amazon.
   */
  @InjectTransactionManager()
  async enqueueStockChanges(
    items: { variant_id: string; reason: string; urgent?: boolean }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return stockOutboxRepository.upsert(sharedContext.transactionManager as SqlManager, items)
  }

  /**
   * Records applied Amazon order versions (new amazon_order rows and/or updates of existing ones) and
   * queues the variants whose store stock their application moved, in one transaction: a crash can never
   * leave a recorded version whose effect on Amazon's quantity the stock push does not know about (the
   * next import skips a recorded version, so a queue entry lost after the record would be lost for good).
   */
  @InjectTransactionManager()
  async recordAmazonOrderVersions(
    input: {
      create?: AmazonOrderData[]
      update?: (AmazonOrderData & { id: string })[]
      stock_changes: { variant_id: string; reason: string }[]
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ created: { id: string; amazon_order_id: string }[]; updated: number; enqueued: number }> {
    const created = input.create?.length ? await this.createAmazonOrders(input.create, sharedContext) : []
    for (const row of input.update ?? []) {
      await this.updateAmazonOrders(row, sharedContext)
    }
    const enqueued = input.stock_changes.length
      ? await stockOutboxRepository.upsert(sharedContext.transactionManager as SqlManager, input.stock_changes)
      : 0
    return { created: created.map((r) => ({ id: r.id, amazon_order_id: r.amazon_order_id })), updated: input.update?.length ?? 0, enqueued }
  }

  /** Records raw stock events for the push to resolve later (see AmazonStockEvent): one multi-row insert. */
  @InjectManager()
  async recordStockEvents(events: StockEventInput[], @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return stockEventsRepository.insert(sharedContext.manager as SqlManager, events)
  }

  /**
   * Moves resolved stock events into the outbox: upserts the variants' rows (with the event's time as the
   * enqueue time, so the queue's age counts from the event, not from the push that resolved it) and
   * deletes exactly the event rows that were resolved, in one transaction. A crash before the commit
   * leaves the events pending for the next run; events recorded meanwhile are not touched.
   */
  @InjectTransactionManager()
  async applyStockEvents(
    items: { variant_id: string; reason: string; at?: Date }[],
    eventIds: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ enqueued: number; deleted: number }> {
    const manager = sharedContext.transactionManager as SqlManager
    const enqueued = await stockOutboxRepository.upsert(manager, items)
    const deleted = await stockEventsRepository.delete(manager, eventIds)
    return { enqueued, deleted }
  }

  /** Every listing of one account and marketplace with what the plugin last set (the drift check). */
  @InjectManager()
  async listListingsOfMarketplace(accountId: string, marketplaceId: string, @MedusaContext() sharedContext: Context = {}): Promise<DriftListingRow[]> {
    return listingsRepository.ofMarketplace(sharedContext.manager as SqlManager, accountId, marketplaceId)
  }

  /** Queued stock changes, urgent ones and the oldest first, as plain rows (no ORM entities). */
  @InjectManager()
  async readStockOutboxRows(limit: number, @MedusaContext() sharedContext: Context = {}): Promise<StockOutboxRow[]> {
    return stockOutboxRepository.read(sharedContext.manager as SqlManager, limit)
  }

  /** Removes pushed outbox rows, but only at the version the push read (a row bumped meanwhile stays queued). */
  @InjectTransactionManager()
  async completeStockChanges(
    rows: { id: string; version: number }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return stockOutboxRepository.deleteAtVersion(sharedContext.transactionManager as SqlManager, rows)
  }

  /** Records a feed's message map (message id → listing, SKU, quantity) in bulk. */
  @InjectTransactionManager()
  async createFeedMessagesBulk(
    feedId: string,
    messages: FeedMessageInput[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return feedMessagesRepository.insert(sharedContext.transactionManager as SqlManager, feedId, messages)
  }

  /** Records the outcome of feed messages in bulk (status, Amazon's issues, time). */
  @InjectTransactionManager()
  async updateFeedMessageOutcomes(
    rows: FeedMessageOutcome[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    return feedMessagesRepository.updateOutcomes(sharedContext.transactionManager as SqlManager, rows)
  }

  /** Writes per-listing push state (each row its own values) for thousands of listings at once. */
  @InjectTransactionManager()
  async updateListingPushStates(rows: ListingPushState[], @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return listingsRepository.updatePushStates(sharedContext.transactionManager as SqlManager, rows)
  }

  /** A submitted feed's listings wait for its result (pending, the feed's id, the quantity sent). */
  @InjectTransactionManager()
  async markFeedListingsPending(feedId: string, submittedAt: Date, @MedusaContext() sharedContext: Context = {}): Promise<number> {
    return listingsRepository.markFeedPending(sharedContext.transactionManager as SqlManager, feedId, submittedAt)
  }

  /** An account input as a row: region and endpoints checked, secrets encrypted for row `id`. */
  private toRow(input: Partial<CreateAmazonAccountInput>, id: string) {
    if (input.region !== undefined && !AMAZON_REGIONS.includes(input.region)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Unknown Amazon region "${input.region}"`)
    }
    this.assertEndpointsAllowed(input)
    return this.secrets_.seal(input, id) as any
  }
}

export default AmazonModuleService
