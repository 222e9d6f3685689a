import { ContractValidator, DEMO_CREDENTIALS, startSimulator, type SimulatorHandle } from "../index"
import { accessToken, call, OTHER_SELLER, SELLER } from "./helpers/sp-client"

const contract = new ContractValidator()

function tokenRequest(sim: SimulatorHandle, form: Record<string, string>, contentType = "application/x-www-form-urlencoded") {
  return fetch(`${sim.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: contentType.startsWith("application/json") ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  })
}

const goodForm = {
  grant_type: "refresh_token",
  refresh_token: SELLER.refreshToken,
  client_id: SELLER.clientId,
  client_secret: SELLER.clientSecret,
}

describe("LWA token endpoint and access-token checks", () => {
  let sim: SimulatorHandle

  beforeAll(async () => {
    sim = await startSimulator()
  })
  afterAll(() => sim.close())
  beforeEach(() => {
    sim.control.reset()
    sim.control.seed({ sellers: [SELLER, OTHER_SELLER] })
  })

  it("issues a 1-hour Atza| token for a valid refresh token (form or JSON body)", async () => {
    for (const type of ["application/x-www-form-urlencoded;charset=UTF-8", "application/json"]) {
      const res = await tokenRequest(sim, goodForm, type)
      expect(res.status).toBe(200)
      const body = (await res.json()) as Record<string, unknown>
      expect(body).toEqual({ access_token: expect.stringMatching(/^Atza\|/), token_type: "bearer", expires_in: 3600, refresh_token: SELLER.refreshToken })
    }
  })

  it("refuses a wrong secret or unknown client with invalid_client and a bad refresh token with invalid_grant", async () => {
    const wrongSecret = await tokenRequest(sim, { ...goodForm, client_secret: "nope" })
    expect(wrongSecret.status).toBe(401)
    expect(await wrongSecret.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed" })

    const unknownClient = await tokenRequest(sim, { ...goodForm, client_id: "amzn1.application-oa2-client.unknown" })
    expect(unknownClient.status).toBe(401)
    expect(((await unknownClient.json()) as { error: string }).error).toBe("invalid_client")

    const badGrant = await tokenRequest(sim, { ...goodForm, refresh_token: "Atzr|revoked" })
    expect(badGrant.status).toBe(400)
    expect(await badGrant.json()).toEqual({ error: "invalid_grant", error_description: "The request has an invalid grant parameter : refresh_token" })

    const badType = await tokenRequest(sim, { ...goodForm, grant_type: "password" })
    expect(badType.status).toBe(400)
    expect(((await badType.json()) as { error: string }).error).toBe("unsupported_grant_type")

    const { client_secret: _missing, ...noSecret } = goodForm
    const missing = await tokenRequest(sim, noSecret)
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { error: string }).error).toBe("invalid_request")
  })

  it("ties the access token to the seller of the refresh token", async () => {
    const token = await accessToken(sim, OTHER_SELLER)
    const res = await call<{ payload: { marketplace: { id: string } }[] }>(sim.url, "GET", "/sellers/v1/marketplaceParticipations", { token })
    expect(res.body.payload.map((p) => p.marketplace.id)).toEqual(OTHER_SELLER.marketplaceIds)
  })

  it("answers 403 Unauthorized for a missing, unknown or expired access token", async () => {
    const missing = await call(sim.url, "GET", "/sellers/v1/marketplaceParticipations")
    const unknown = await call(sim.url, "GET", "/sellers/v1/marketplaceParticipations", { token: "Atza|forged" })
    for (const res of [missing, unknown]) {
      expect(res.status).toBe(403)
      expect(res.headers.get("x-amzn-requestid")).toBeTruthy()
      expect(contract.validateResponse("sellers-v1.getMarketplaceParticipations", 403, res.body).errors).toBe("")
      expect((res.body as { errors: { code: string; message: string }[] }).errors[0]).toMatchObject({
        code: "Unauthorized",
        message: "Access to requested resource is denied.",
      })
    }

    const token = await accessToken(sim)
    sim.control.advanceClock(3_599_000)
    expect((await call(sim.url, "GET", "/sellers/v1/marketplaceParticipations", { token })).status).toBe(200)
    sim.control.advanceClock(2_000)
    const expired = await call(sim.url, "GET", "/sellers/v1/marketplaceParticipations", { token })
    expect(expired.status).toBe(403)
    expect(expired.body).toEqual({
      errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." }],
    })
    expect(sim.control.counters()["sellers-v1.getMarketplaceParticipations"].clientErrors).toBe(3)
  })

  it("expires every access token on demand; a refresh gives a working one", async () => {
    const token = await accessToken(sim)
    expect(sim.control.expireAccessTokens()).toBe(1)
    expect((await call(sim.url, "GET", "/sellers/v1/marketplaceParticipations", { token })).status).toBe(403)
    const fresh = await accessToken(sim)
    expect((await call(sim.url, "GET", "/sellers/v1/marketplaceParticipations", { token: fresh })).status).toBe(200)
  })

  it("knows the demo credentials when started with the demo seed", async () => {
    const demo = await startSimulator({ seed: "demo" })
    try {
      const token = await accessToken(demo, { ...DEMO_CREDENTIALS, marketplaceIds: [DEMO_CREDENTIALS.marketplaceId] })
      const res = await call<{ payload: { storeName: string }[] }>(demo.url, "GET", "/sellers/v1/marketplaceParticipations", { token })
      expect(res.body.payload).toHaveLength(1)
      expect(demo.control.listOrders()).toHaveLength(3)
      expect(demo.control.quantities()).toMatchObject({ "SIM-MUG-RED": 25, "SIM-BOTTLE-FBA": null })
    } finally {
      await demo.close()
    }
  })
})
