import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import jwt from "jsonwebtoken"

/**
 * Creates an admin user with an emailpass identity and returns bearer headers for it, as Medusa's own
 * integration tests do (integration-tests/helpers/create-admin-user.ts).
 */
export async function createAdminUser(container: MedusaContainer, email = "admin@medusa.test") {
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const user = await userModule.createUsers({ email, first_name: "Ada", last_name: "Admin" })
  const authIdentity = await authModule.createAuthIdentities({
    provider_identities: [{ provider: "emailpass", entity_id: email, provider_metadata: { password: "unused-in-tests" } }],
    app_metadata: { user_id: user.id },
  })
  const config = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  const secret = (config.projectConfig.http.jwtSecret as string) ?? "test"
  const token = jwt.sign(
    { actor_id: user.id, actor_type: "user", auth_identity_id: authIdentity.id, app_metadata: { user_id: user.id } },
    secret,
    { expiresIn: "1d" }
  )
  return { user, headers: { authorization: `Bearer ${token}` } }
}
