import { contentTypeProblem, inputProblem, MAX_INPUT_DEPTH, MAX_INPUT_NODES, pathHasNul, printable } from "../input-hygiene"

function nested(depth: number): unknown {
  let v: unknown = "leaf"
  for (let i = 1; i < depth; i++) {
    v = i % 2 ? { a: v } : [v]
  }
  return { a: v }
}

describe("contentTypeProblem", () => {
  it.each([
    // method, content type, has body, accepted?
    ["POST", "application/json", true, true],
    ["POST", "application/json; charset=utf-8", true, true],
    ["POST", "Application/JSON", true, true],
    ["POST", "application/json", false, true], // the JS SDK: no body, JSON content type
    ["DELETE", "application/json", false, true], // the JS SDK's DELETE
    ["DELETE", undefined, false, true], // curl / axios DELETE: a browser preflights it cross-site
    ["GET", undefined, false, true],
    ["GET", "text/plain", true, true],
    ["HEAD", "application/x-www-form-urlencoded", false, true],
    // what a cross-site HTML form can send
    ["POST", "application/x-www-form-urlencoded", true, false],
    ["POST", "multipart/form-data; boundary=----x", true, false],
    ["POST", "text/plain", true, false],
    ["POST", "text/plain;charset=UTF-8", true, false],
    // what a no-cors fetch can send without a preflight
    ["POST", undefined, false, false],
    ["POST", "", false, false],
    ["POST", undefined, true, false],
    // everything else that is not plain JSON
    ["POST", "application/merge-patch+json", true, false],
    ["POST", "application/jsonp", true, false],
    ["PUT", "text/xml", true, false],
    ["PATCH", undefined, true, false],
    ["DELETE", "application/x-www-form-urlencoded", false, false],
    ["DELETE", undefined, true, false],
    ["post", "text/plain", true, false],
  ])("%s with %p (body: %p) accepted: %p", (method, contentType, hasBody, accepted) => {
    const problem = contentTypeProblem(method, contentType, hasBody)
    expect(problem === null).toBe(accepted)
  })

  it("names the refused media type and says what is accepted", () => {
    expect(contentTypeProblem("POST", "application/x-www-form-urlencoded", true)).toBe(
      'Content-Type "application/x-www-form-urlencoded" is not accepted: POST requests to the Amazon admin API take application/json only'
    )
    expect(contentTypeProblem("POST", undefined, false)).toMatch(/must be sent with Content-Type: application\/json/)
  })

  it("never echoes control characters or a long header", () => {
    const problem = contentTypeProblem("POST", `text/\u0000evil${"x".repeat(500)}`, true)!
    expect(problem).not.toContain("\u0000")
    expect(problem).toContain("text/?evil")
    expect(problem.length).toBeLessThan(200)
  })
})

describe("inputProblem", () => {
  it("accepts ordinary bodies and queries", () => {
    expect(inputProblem({ name: "Shop DE", marketplace_ids: ["A1PA6795UKMFR9"], settings: { rules: { buffer: 2 } } }, "body field")).toBeNull()
    expect(inputProblem({ q: "tee", limit: "20", import_status: ["pending", "imported"] }, "query parameter")).toBeNull()
    expect(inputProblem({}, "body field")).toBeNull()
    expect(inputProblem({ ids: Array.from({ length: 500 }, (_, i) => `log_${i}`) }, "body field")).toBeNull()
    expect(inputProblem({ a: null, b: 1, c: true, d: "" }, "body field")).toBeNull()
  })

  // (the first column names the case: a raw NUL in a test title would end up in the test output)
  it.each([
    ["q", { q: "\u0000" }, "query parameter", 'Query parameter "q" contains a NUL character'],
    ["inside q", { q: "abc\u0000def" }, "query parameter", 'Query parameter "q" contains a NUL character'],
    ["a query array", { import_status: ["pending", "x\u0000"] }, "query parameter", 'Query parameter "import_status[1]" contains a NUL character'],
    ["a nested field", { name: "ok", settings: { rules: { note: "a\u0000" } } }, "body field", 'Body field "settings.rules.note" contains a NUL character'],
    ["an array item", { ids: ["a", "b\u0000"] }, "body field", 'Body field "ids[1]" contains a NUL character'],
    ["a top-level array", ["\u0000"], "body field", 'Body field "[0]" contains a NUL character'],
    ["a bare string", "\u0000", "body field", "Body field contains a NUL character"],
  ])("refuses a NUL in %s", (_case, value, where, message) => {
    expect(inputProblem(value, where as "body field")).toBe(message)
  })

  it("refuses a NUL in a key without repeating it", () => {
    const problem = inputProblem({ settings: { "ev\u0000il": 1 } }, "body field")!
    expect(problem).toBe('Body field "settings.ev?il" has a name that contains a NUL character')
    expect(problem).not.toContain("\u0000")
  })

  it("caps the nesting depth", () => {
    expect(inputProblem(nested(MAX_INPUT_DEPTH), "body field")).toBeNull()
    expect(inputProblem(nested(MAX_INPUT_DEPTH + 1), "body field")).toBe(`The request body is nested deeper than ${MAX_INPUT_DEPTH} levels`)
    expect(inputProblem(nested(100), "body field")).toBe(`The request body is nested deeper than ${MAX_INPUT_DEPTH} levels`)
    expect(inputProblem(nested(5), "query parameter", { maxDepth: 4 })).toBe("The query is nested deeper than 4 levels")
  })

  it("caps the number of values, and stops walking there", () => {
    // the object itself + the array + its items
    expect(inputProblem({ ids: new Array(MAX_INPUT_NODES - 2).fill(1) }, "body field")).toBeNull()
    expect(inputProblem({ ids: new Array(MAX_INPUT_NODES - 1).fill(1) }, "body field")).toBe(
      `The request body has more than ${MAX_INPUT_NODES} values`
    )
    const huge = { ids: new Array(2_000_000).fill("\u0000") }
    expect(inputProblem(huge, "body field", { maxNodes: 10 })).toBe("The request body has more than 10 values")
  })

  it("walks a 100,000-deep value without a stack overflow", () => {
    let v: unknown = 1
    for (let i = 0; i < 100_000; i++) {
      v = [v]
    }
    expect(inputProblem(v, "body field")).toMatch(/nested deeper/)
  })
})

describe("pathHasNul / printable", () => {
  it.each([
    ["/admin/amazon/listings/%00", true],
    ["/admin/amazon/listings/a%00b?x=1", true],
    ["/admin/amazon/listings/abc?q=%00", false], // the query is checked value by value
    ["/admin/amazon/listings/%2500", false],
    ["/admin/amazon/listings", false],
  ])("%p has a NUL in its path: %p", (url, expected) => {
    expect(pathHasNul(url)).toBe(expected)
  })

  it("sees a raw NUL in the path too", () => {
    expect(pathHasNul("/admin/amazon/listings/\u0000")).toBe(true)
  })

  it("replaces control characters and cuts long names", () => {
    expect(printable("a\u0000b\u001fc\u007fd")).toBe("a?b?c?d")
    expect(printable("x".repeat(100))).toBe(`${"x".repeat(60)}…`)
  })
})
