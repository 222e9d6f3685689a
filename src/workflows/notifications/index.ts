export * from "./setup-amazon-notifications"
export * from "./remove-amazon-notifications"
export { ensureNotificationConsumers, notificationConsumers } from "./consumer/notification-consumers"
