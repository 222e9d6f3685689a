export * from "./apply-amazon-order"
export * from "./import-amazon-orders"
export * from "./mark-amazon-order-paid"
export * from "./retry-amazon-order-import"
