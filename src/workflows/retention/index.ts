export * from "./constants"
export * from "./remove-amazon-buyer-data"
export * from "./steps/resolve-buyer-data-cutoff"
export * from "./steps/remove-amazon-buyer-data"
