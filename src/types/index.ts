export * from "./plugin-options"
export * from "./account-settings"
