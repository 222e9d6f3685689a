import { addDecimals, parseDecimal, toMajorUnits } from "../parsers/money"

describe("parseDecimal + toMajorUnits", () => {
  it.each<[string, string, number]>([
    ["19.99", "USD", 19.99],
    ["19.9", "USD", 19.9],
    ["20", "EUR", 20],
    ["05.00", "EUR", 5],
    ["0.00", "EUR", 0],
    ["-0.001", "EUR", 0],
    // Halves round away from zero. The float shortcuts fail here: Math.round(x * 100) / 100 gives 1 for
    // 1.005; Number(x.toFixed(2)) gives 1 for 1.005, 1.05 for 1.055 and 2.67 for 2.675.
    ["1.005", "USD", 1.01],
    ["1.055", "GBP", 1.06],
    ["2.675", "GBP", 2.68],
    ["15.655", "GBP", 15.66],
    ["-1.005", "USD", -1.01],
    ["1.0049999", "USD", 1],
    // zero- and three-decimal currencies
    ["5980", "JPY", 5980],
    ["0.5", "JPY", 1],
    ["1.0005", "KWD", 1.001],
    // RFC 7159 exponent forms, which the model's Decimal allows
    ["1e2", "USD", 100],
    ["12.5E-1", "USD", 1.25],
    ["-3.456e+1", "USD", -34.56],
    ["123456789012.34", "USD", 123456789012.34],
  ])("%s %s → %p", (text, currency, expected) => {
    const d = parseDecimal(text)
    expect(d).not.toBeNull()
    expect(toMajorUnits(d!, currency)).toBe(expected)
  })

  it.each(["", "abc", "1.", ".5", "1,5", "+1", " 1", "1 ", "NaN", "Infinity", "0x10", "1e", "1e999", "9".repeat(41)])(
    "refuses %p",
    (text) => {
      expect(parseDecimal(text)).toBeNull()
    }
  )

  it("adds exactly before rounding", () => {
    const sum = addDecimals(parseDecimal("0.1")!, parseDecimal("0.2")!)
    expect(toMajorUnits(sum, "USD")).toBe(0.3)
    const third = addDecimals(addDecimals(parseDecimal("0.005")!, parseDecimal("0.005")!), parseDecimal("-0.0049")!)
    // 0.0051 rounds to 0.01 only because the parts were added unrounded (each alone rounds to 0.01/0.01/0)
    expect(toMajorUnits(third, "USD")).toBe(0.01)
  })

  it("returns null for amounts beyond exact double precision at the currency's minor unit", () => {
    expect(toMajorUnits(parseDecimal("123456789012345678.00")!, "USD")).toBeNull()
  })
})
