import { columnLength, fromColumns, toColumns } from "../columns"

describe("columns", () => {
  it("round-trips rows through one array per field, nulls and booleans included", () => {
    const rows = [
      { id: "a", quantity: 3, pending: null as string | null, urgent: true },
      { id: "b", quantity: 0, pending: "feed_1", urgent: false },
    ]
    const cols = toColumns(rows, ["id", "quantity", "pending", "urgent"])
    expect(cols).toEqual({ id: ["a", "b"], quantity: [3, 0], pending: [null, "feed_1"], urgent: [true, false] })
    expect(columnLength(cols)).toBe(2)
    expect(fromColumns(cols)).toEqual(rows)
    // JSON-safe, as a workflow step's output must be.
    expect(fromColumns(JSON.parse(JSON.stringify(cols)))).toEqual(rows)
  })

  it("keeps the fields it is told to and nothing else; empty lists stay empty", () => {
    expect(toColumns([{ id: "a", secret: "x" }], ["id"])).toEqual({ id: ["a"] })
    const empty = toColumns<{ id: string }>([], ["id"])
    expect(empty).toEqual({ id: [] })
    expect(fromColumns(empty)).toEqual([])
    expect(columnLength({})).toBe(0)
  })
})
