/**
 * Notifications API v1: destinations (grantless, per application) and subscriptions (per seller and
 * application). getSubscriptionById and deleteSubscriptionById are grantless in the model, yet SDKs call them
 * with a seller's token and Amazon answers (saleweaver/python-amazon-sp-api#373, and "deleteSubscriptionById is no
 * longer grantless" in amzn/selling-partner-api-docs#1850): the simulator takes either token for them.
 *
 * Error texts seen from Amazon: duplicate destination → 409 `Conflict` "A destination with arn … already exists for
 * the application …" (amzn/selling-partner-api-docs#1800); second subscription → 409 `StateConflict` "Subscription
 * already exist for notification type …" (#3448); deleting a destination that still has subscriptions → 403
 * `Unauthorized` "The requested action is forbidden." / "Destination has subscriptions" (#1800).
 */
import { randomUUID } from "node:crypto"
import type { components } from "../../src/lib/amazon/generated/notifications-v1"
import type { GrantlessRequest, SimContext, SpApiRequest, SpApiRoute } from "../context"
import { testNotification } from "../domain/notification-payloads"
import { applicationIdOf, type DestinationRecord, NOTIFICATION_TYPES, type ProcessingDirective, type SubscriptionRecord } from "../domain/notifications"
import { invalidInput, json, notFound, SpApiError } from "../http"
import { validatedBody } from "./common"

type Destination = components["schemas"]["Destination"]
type Subscription = components["schemas"]["Subscription"]
type CreateDestinationRequest = components["schemas"]["CreateDestinationRequest"]
type CreateSubscriptionRequest = components["schemas"]["CreateSubscriptionRequest"]
type SendTestNotificationRequest = components["schemas"]["SendTestNotificationRequest"]

/** The AWS regions Amazon delivers EventBridge notifications to (one per SP-API region). */
const EVENTBRIDGE_REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "ap-southeast-2"]
/** Event filters exist only for these types (ProcessingDirective.eventFilter.eventFilterType). */
const FILTERABLE_TYPES = ["ANY_OFFER_CHANGED", "ORDER_CHANGE", "SHIPMENT_TRACKING_MILESTONE_CHANGED"]

const conflict = (code: string, message: string, details: string) => new SpApiError(409, code, message, details)

function renderDestination(d: DestinationRecord): Destination {
  return {
    name: d.name,
    destinationId: d.destinationId,
    resource: d.sqsArn ? { sqs: { arn: d.sqsArn } } : { eventBridge: { name: d.eventBridge?.name ?? "", region: d.eventBridge?.region ?? "", accountId: d.eventBridge?.accountId ?? "" } },
  }
}

function renderSubscription(s: SubscriptionRecord): Subscription {
  return {
    subscriptionId: s.subscriptionId,
    payloadVersion: s.payloadVersion,
    destinationId: s.destinationId,
    ...(s.processingDirective ? { processingDirective: structuredClone(s.processingDirective) as Subscription["processingDirective"] } : {}),
  }
}

function notificationType(req: { params: Record<string, string> }): string {
  const type = req.params.notificationType
  if (!(type in NOTIFICATION_TYPES)) throw invalidInput(`Invalid notificationType: ${type}.`, `Supported notification types: ${Object.keys(NOTIFICATION_TYPES).join(", ")}.`)
  return type
}

function requirePayloadVersion(type: string, version: string): void {
  const allowed = NOTIFICATION_TYPES[type].payloadVersions
  if (!allowed.includes(version)) throw invalidInput(`Invalid payloadVersion ${version} for ${type}.`, `Supported payload versions: ${allowed.join(", ")}.`)
}

function ownDestination(ctx: SimContext, clientId: string, destinationId: string): DestinationRecord {
  const destination = ctx.notifications.destinations.get(destinationId)
  if (!destination || destination.clientId !== clientId) throw notFound(`Destination ${destinationId} was not found.`)
  return destination
}

/** EventBridge-only types need an EventBridge destination; the SQS-workflow types take either kind. */
function requireFittingDestination(type: string, destination: DestinationRecord): void {
  if (NOTIFICATION_TYPES[type].eventBridgeOnly && !destination.eventBridge) {
    throw invalidInput(`Notification type ${type} is delivered through Amazon EventBridge only.`, `Destination ${destination.destinationId} is an SQS queue; create an eventBridge destination.`)
  }
}

function checkDirective(type: string, directive: ProcessingDirective | undefined): void {
  if (!directive) return
  if (directive.eventFilter && directive.filterExpression !== undefined) throw invalidInput("processingDirective takes either eventFilter or filterExpression, not both.")
  const filter = directive.eventFilter
  if (filter && (!FILTERABLE_TYPES.includes(type) || filter.eventFilterType !== type)) {
    throw invalidInput(`eventFilterType ${filter.eventFilterType} does not apply to ${type}.`, `Event filters exist for ${FILTERABLE_TYPES.join(", ")}, with eventFilterType equal to the notification type.`)
  }
}

/** A subscription of this application (and of this seller, for a seller's token). */
function ownSubscription(ctx: SimContext, req: GrantlessRequest): SubscriptionRecord {
  const type = notificationType(req)
  const subscription = ctx.notifications.subscriptions.get(req.params.subscriptionId)
  if (
    !subscription ||
    subscription.notificationType !== type ||
    subscription.clientId !== req.clientId ||
    (req.seller !== undefined && subscription.sellerId !== req.seller.sellerId)
  ) {
    throw notFound(`Subscription ${req.params.subscriptionId} for notification type ${type} was not found.`)
  }
  return subscription
}

function sellerSubscription(ctx: SimContext, req: SpApiRequest, type: string): SubscriptionRecord | undefined {
  return [...ctx.notifications.subscriptions.values()].find(
    (s) => s.sellerId === req.seller.sellerId && s.clientId === req.clientId && s.notificationType === type,
  )
}

function createDestination(ctx: SimContext, req: GrantlessRequest) {
  const body = validatedBody<CreateDestinationRequest>(ctx, req)
  const { sqs, eventBridge } = body.resourceSpecification
  if ((sqs === undefined) === (eventBridge === undefined)) throw invalidInput("resourceSpecification needs exactly one of sqs and eventBridge.")
  const applicationId = applicationIdOf(req.clientId)
  const own = [...ctx.notifications.destinations.values()].filter((d) => d.clientId === req.clientId)
  const record: DestinationRecord = { destinationId: randomUUID(), name: body.name, clientId: req.clientId, applicationId, createdAt: ctx.clock.now() }
  if (sqs) {
    const queue = ctx.sqs.byArn(sqs.arn)
    if (!queue) throw invalidInput(`The SQS queue ${sqs.arn} does not exist or Amazon cannot access it.`, "Create the queue first (control API createSqsQueue) and pass its ARN.")
    if (queue.fifo) throw invalidInput(`${sqs.arn} is a FIFO queue.`, "Notifications are delivered to standard SQS queues only.")
    if (own.some((d) => d.sqsArn === sqs.arn)) {
      throw conflict("Conflict", "The requested resource conflict with a resource in the server.", `A destination with arn ${sqs.arn} already exists for the application ${applicationId}`)
    }
    record.sqsArn = sqs.arn
  } else if (eventBridge) {
    if (!/^\d{12}$/.test(eventBridge.accountId)) throw invalidInput(`Invalid accountId ${eventBridge.accountId}: an AWS account id has 12 digits.`)
    if (!EVENTBRIDGE_REGIONS.includes(eventBridge.region)) throw invalidInput(`Invalid region ${eventBridge.region}.`, `Supported regions: ${EVENTBRIDGE_REGIONS.join(", ")}.`)
    // One EventBridge destination per AWS account (amzn/selling-partner-api-docs#1850).
    if (own.some((d) => d.eventBridge?.accountId === eventBridge.accountId)) {
      throw conflict("Conflict", "The requested resource conflict with a resource in the server.", `An EventBridge destination for account ${eventBridge.accountId} already exists for the application ${applicationId}`)
    }
    record.eventBridge = { accountId: eventBridge.accountId, region: eventBridge.region, name: `aws.partner/sellingpartnerapi.amazon/${applicationId}` }
  }
  ctx.notifications.destinations.set(record.destinationId, record)
  return json(200, { payload: renderDestination(record) })
}

function createSubscription(ctx: SimContext, req: SpApiRequest) {
  const type = notificationType(req)
  const body = validatedBody<CreateSubscriptionRequest>(ctx, req)
  requirePayloadVersion(type, body.payloadVersion)
  const destination = ctx.notifications.destinations.get(body.destinationId)
  if (!destination || destination.clientId !== req.clientId) {
    throw invalidInput(`No destination with id '${body.destinationId}' for applicationId '${applicationIdOf(req.clientId)}'.`)
  }
  requireFittingDestination(type, destination)
  const directive = body.processingDirective as ProcessingDirective | undefined
  checkDirective(type, directive)
  if (sellerSubscription(ctx, req, type)) {
    throw conflict("StateConflict", "The resource specified conflicts with the current state.", `Subscription already exist for notification type ${type}`)
  }
  const record: SubscriptionRecord = {
    subscriptionId: randomUUID(),
    sellerId: req.seller.sellerId,
    clientId: req.clientId,
    notificationType: type,
    payloadVersion: body.payloadVersion,
    destinationId: destination.destinationId,
    ...(directive ? { processingDirective: structuredClone(directive) } : {}),
    createdAt: ctx.clock.now(),
  }
  ctx.notifications.subscriptions.set(record.subscriptionId, record)
  return json(200, { payload: renderSubscription(record) })
}

function getSubscriptions(ctx: SimContext, req: SpApiRequest) {
  const types = req.query.list("notificationTypes")
  if (!types || types.length === 0) throw invalidInput("Missing required parameter: notificationTypes.")
  if (types.length > 1) throw invalidInput("notificationTypes is currently limited to a single notification type per request.")
  const type = notificationType({ params: { notificationType: types[0] } })
  const payloadVersion = req.query.string("payloadVersion")
  req.query.int("pageSize", { min: 30, max: 100 })
  // A seller has at most one subscription per type here, so no page ever has a successor.
  if (req.query.string("nextToken") !== undefined) throw invalidInput("The nextToken is invalid.")
  const subscription = sellerSubscription(ctx, req, type)
  const subscriptions = subscription && (payloadVersion === undefined || subscription.payloadVersion === payloadVersion) ? [renderSubscription(subscription)] : []
  return json(200, { payload: { subscriptions } })
}

function sendTest(ctx: SimContext, req: GrantlessRequest) {
  const type = notificationType(req)
  const body = validatedBody<SendTestNotificationRequest>(ctx, req)
  if (!body.destinationId) throw invalidInput("Missing required field: destinationId.")
  if (body.testNotification) {
    requirePayloadVersion(type, body.testNotification.payloadVersion)
    if (!body.testNotification.testScenario) throw invalidInput("testNotification.testScenario must not be empty.")
  }
  const destination = ownDestination(ctx, req.clientId, body.destinationId)
  requireFittingDestination(type, destination)
  ctx.notifications.sendTest(type, destination, testNotification(type, ctx.clock.now()))
  return json(200, {})
}

export const notificationsRoutes: SpApiRoute[] = [
  { method: "POST", path: "/notifications/v1/destinations", operation: "notifications-v1.createDestination", grant: "grantless", handler: createDestination },
  {
    method: "GET",
    path: "/notifications/v1/destinations",
    operation: "notifications-v1.getDestinations",
    grant: "grantless",
    handler: (ctx, req) => {
      const own = [...ctx.notifications.destinations.values()].filter((d) => d.clientId === req.clientId).sort((a, b) => a.createdAt - b.createdAt)
      return json(200, { payload: own.map(renderDestination) })
    },
  },
  {
    method: "GET",
    path: "/notifications/v1/destinations/{destinationId}",
    operation: "notifications-v1.getDestination",
    grant: "grantless",
    handler: (ctx, req) => json(200, { payload: renderDestination(ownDestination(ctx, req.clientId, req.params.destinationId)) }),
  },
  {
    method: "DELETE",
    path: "/notifications/v1/destinations/{destinationId}",
    operation: "notifications-v1.deleteDestination",
    grant: "grantless",
    handler: (ctx, req) => {
      const destination = ownDestination(ctx, req.clientId, req.params.destinationId)
      if ([...ctx.notifications.subscriptions.values()].some((s) => s.destinationId === destination.destinationId)) {
        throw new SpApiError(403, "Unauthorized", "The requested action is forbidden.", "Destination has subscriptions")
      }
      ctx.notifications.destinations.delete(destination.destinationId)
      return json(200, {})
    },
  },
  { method: "GET", path: "/notifications/v1/subscriptions", operation: "notifications-v1.getSubscriptions", handler: getSubscriptions },
  {
    method: "GET",
    path: "/notifications/v1/subscriptions/{notificationType}",
    operation: "notifications-v1.getSubscription",
    handler: (ctx, req) => {
      const type = notificationType(req)
      const payloadVersion = req.query.string("payloadVersion")
      const subscription = sellerSubscription(ctx, req, type)
      if (!subscription || (payloadVersion !== undefined && subscription.payloadVersion !== payloadVersion)) {
        throw notFound(`No subscription for notification type ${type}${payloadVersion ? ` and payload version ${payloadVersion}` : ""} was found.`)
      }
      return json(200, { payload: renderSubscription(subscription) })
    },
  },
  { method: "POST", path: "/notifications/v1/subscriptions/{notificationType}", operation: "notifications-v1.createSubscription", handler: createSubscription },
  {
    method: "POST",
    path: "/notifications/v1/subscriptions/{notificationType}/testNotification",
    operation: "notifications-v1.sendTestNotification",
    grant: "grantless",
    handler: sendTest,
  },
  {
    method: "GET",
    path: "/notifications/v1/subscriptions/{notificationType}/{subscriptionId}",
    operation: "notifications-v1.getSubscriptionById",
    grant: "either",
    handler: (ctx, req) => json(200, { payload: renderSubscription(ownSubscription(ctx, req)) }),
  },
  {
    method: "DELETE",
    path: "/notifications/v1/subscriptions/{notificationType}/{subscriptionId}",
    operation: "notifications-v1.deleteSubscriptionById",
    grant: "either",
    handler: (ctx, req) => {
      ctx.notifications.subscriptions.delete(ownSubscription(ctx, req).subscriptionId)
      return json(200, {})
    },
  },
]
