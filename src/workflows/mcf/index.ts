export * from "./place-mcf-order"
export * from "./track-mcf-orders"
export * from "./offer-mcf-shipping"
export { MCF_PROVIDER_ID } from "./constants"
