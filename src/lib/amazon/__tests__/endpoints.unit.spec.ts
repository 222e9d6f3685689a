import { amazonSpApiHost, endpointOrigin, endpointRefusal } from "../endpoints"
import { upstreamText } from "../errors"

describe("endpointRefusal (where credentials may go)", () => {
  it("always allows Amazon's own SP-API, sandbox and LWA hosts, and nothing else by default", () => {
    for (const url of [
      "https://sellingpartnerapi-eu.amazon.com",
      "https://sandbox.sellingpartnerapi-na.amazon.com/",
      "https://api.amazon.com/auth/o2/token",
      "HTTPS://SELLINGPARTNERAPI-FE.AMAZON.COM:443/x",
    ]) {
      expect([url, endpointRefusal(url, {})]).toEqual([url, null])
    }
    for (const url of [
      "http://sellingpartnerapi-eu.amazon.com", // Amazon, but not over TLS
      "https://sellingpartnerapi-eu.amazon.com.evil.example",
      "https://user:pw@api.amazon.com/auth/o2/token",
      "http://169.254.169.254/latest/meta-data",
      "http://10.0.0.1",
      "http://127.0.0.1:8080",
      "http://0x7f000001/",
      "http://2130706433/",
      "http://localhost:9000",
      "http://[::1]/",
      "ftp://api.amazon.com",
      "not a url",
    ]) {
      expect([url, endpointRefusal(url, {})]).toEqual([url, expect.any(String)])
    }
  })

  it("allows exactly the configured origins (normalised), not their neighbours", () => {
    const policy = { allowedEndpoints: ["http://127.0.0.1:4567", "https://proxy.example.com"] }
    expect(endpointRefusal("http://127.0.0.1:4567/auth/o2/token", policy)).toBeNull()
    expect(endpointRefusal("http://0x7f000001:4567/", policy)).toBeNull()
    expect(endpointRefusal("https://PROXY.example.com:443/sp", policy)).toBeNull()
    expect(endpointRefusal("http://127.0.0.1:4568/", policy)).toMatch(/allowedEndpoints/)
    expect(endpointRefusal("http://proxy.example.com/", policy)).toMatch(/allowedEndpoints/)
  })

  it("allows loopback hosts only with the development switch", () => {
    const dev = { allowLoopbackEndpoints: true }
    for (const url of ["http://127.0.0.1:1", "http://127.9.9.9/", "http://localhost:9000", "http://0x7f000001/", "http://[::1]:3/"]) {
      expect([url, endpointRefusal(url, dev)]).toEqual([url, null])
    }
    for (const url of ["http://10.0.0.1", "http://169.254.169.254", "http://128.0.0.1", "http://localhost.evil.example"]) {
      expect([url, endpointRefusal(url, dev)]).toEqual([url, expect.any(String)])
    }
  })

  it("names Amazon's hosts per region", () => {
    expect(amazonSpApiHost("NA")).toBe("https://sellingpartnerapi-na.amazon.com")
    expect(amazonSpApiHost("FE", true)).toBe("https://sandbox.sellingpartnerapi-fe.amazon.com")
    expect(endpointOrigin("http://0x7f000001:80/x")).toBe("http://127.0.0.1")
  })
})

describe("upstreamText", () => {
  it("drops control characters (NUL, newlines) and cuts long text", () => {
    expect(upstreamText("bad\u0000value\r\nInjected: yes")).toBe("bad value Injected: yes")
    const long = upstreamText("x".repeat(5000))
    expect(long.length).toBe(300)
    expect(long.endsWith("…")).toBe(true)
  })
})
