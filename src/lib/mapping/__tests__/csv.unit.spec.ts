import { CsvFormatError, csvField, parseCsv, sniffDelimiter, writeCsv } from "../csv"

describe("csvField / writeCsv", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["semi;colon", '"semi;colon"'],
    ["", ""],
  ])("%j → %j", (value, expected) => {
    expect(csvField(value)).toBe(expected)
  })

  it("writes null and undefined as empty cells and numbers as text", () => {
    expect([csvField(null), csvField(undefined), csvField(12)]).toEqual(["", "", "12"])
  })

  it("neutralises a cell a spreadsheet would run as a formula, only when asked", () => {
    expect(csvField("=HYPERLINK(1)", true)).toBe("'=HYPERLINK(1)")
    expect(csvField("+1", true)).toBe("'+1")
    expect(csvField("-5 mugs", true)).toBe("'-5 mugs")
    expect(csvField("@cmd", true)).toBe("'@cmd")
    expect(csvField("=1+1")).toBe("=1+1")
    expect(csvField("Mug = red", true)).toBe("Mug = red")
  })

  it("writes CRLF-terminated lines and guards only the named columns", () => {
    expect(writeCsv(["a", "b"], [["1", "x,y"], [null, 2]])).toBe('a,b\r\n1,"x,y"\r\n,2\r\n')
    expect(writeCsv(["sku", "name"], [["-1", "=x"]], ["name"])).toBe("sku,name\r\n-1,'=x\r\n")
  })
})

describe("parseCsv", () => {
  it("reads what writeCsv writes, quotes, commas and line breaks included", () => {
    const text = writeCsv(["Seller_SKU", "item_name"], [
      ["A-1", 'Mug, "red"\nlarge'],
      ["B-2", ""],
    ])
    const parsed = parseCsv(text, { maxRows: 10 })
    expect(parsed.header).toEqual(["seller_sku", "item_name"])
    expect(parsed.rows.map((r) => r.cells)).toEqual([
      { seller_sku: "A-1", item_name: 'Mug, "red"\nlarge' },
      { seller_sku: "B-2", item_name: "" },
    ])
  })

  it("gives each row its line number (header = line 1), skipping blank lines", () => {
    const parsed = parseCsv("sku\r\nA\r\n\r\nB\r\n", { maxRows: 10 })
    expect(parsed.rows.map((r) => [r.line, r.cells.sku])).toEqual([
      [2, "A"],
      [4, "B"],
    ])
  })

  it("ignores a byte-order mark, trims cells and fills short rows with empty cells", () => {
    const parsed = parseCsv("\uFEFFa,b,c\n 1 ,2\n", { maxRows: 10 })
    expect(parsed.header).toEqual(["a", "b", "c"])
    expect(parsed.rows[0].cells).toEqual({ a: "1", b: "2", c: "" })
  })

  it("reads semicolon files (spreadsheets in German or French locales)", () => {
    expect(sniffDelimiter("a;b;c\n1;2;3")).toBe(";")
    expect(sniffDelimiter("a,b;c\n")).toBe(",")
    expect(parseCsv("seller_sku;variant_sku\nA;\"x;y\"\n", { maxRows: 10 }).rows[0].cells).toEqual({ seller_sku: "A", variant_sku: "x;y" })
  })

  it.each([
    ["", /empty/],
    ['a,b\n"open,1\n', /not valid CSV/],
    ["a,b\n1,2,3\n", /not valid CSV/],
    ["a,,c\n1,2,3\n", /empty column name/],
    ["a,A\n1,2\n", /names the column "a" twice/],
  ])("refuses %j", (text, message) => {
    expect(() => parseCsv(text, { maxRows: 10 })).toThrow(CsvFormatError)
    expect(() => parseCsv(text, { maxRows: 10 })).toThrow(message)
  })

  it("accepts exactly maxRows rows and refuses one more", () => {
    const file = (n: number) => "sku\n" + Array.from({ length: n }, (_, i) => `S${i}`).join("\n")
    expect(parseCsv(file(3), { maxRows: 3 }).rows).toHaveLength(3)
    expect(() => parseCsv(file(4), { maxRows: 3 })).toThrow(/more than 3 rows/)
  })
})
