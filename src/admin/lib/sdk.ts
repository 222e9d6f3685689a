import Medusa from "@medusajs/js-sdk"

/** The one JS-SDK instance of the plugin's admin extensions (session auth of the logged-in admin). */
export const sdk = new Medusa({
  baseUrl: import.meta.env.VITE_BACKEND_URL || "/",
  debug: import.meta.env.DEV,
  auth: { type: "session" },
})
