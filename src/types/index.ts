export * from "./modules"
export * from "./plugin-options"
