/**
 * Exact decimal handling for Amazon `Money.amount`, a decimal *string* ("no loss of precision").
 *
 * Amounts are added as scaled BigInts and rounded once, to the currency's minor unit, when converted to
 * the number in major units that Medusa stores. Converting each string with parseFloat and adding floats
 * would turn 0.1 + 0.2 into 0.30000000000000004 on every multi-line order.
 */

/** value = units × 10^-scale */
export interface Decimal {
  readonly units: bigint
  readonly scale: number
}

// RFC 7159 number grammar, which the model cites, but tolerant of leading zeros ("05.00").
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/

/** Bounds on digits and exponent so a hostile "1e999999999" cannot make BigInt work for minutes. */
const MAX_DIGITS = 40
const MAX_EXPONENT = 40

/** Parses a decimal string exactly; null when it is not a plain decimal number. */
export function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL.exec(text)
  if (!m) {
    return null
  }
  const [, sign, int, frac = "", exp = "0"] = m
  const exponent = Number(exp)
  if (int.length + frac.length > MAX_DIGITS || Math.abs(exponent) > MAX_EXPONENT) {
    return null
  }
  let units = BigInt(int + frac)
  let scale = frac.length - exponent
  if (scale < 0) {
    units *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { units: sign ? -units : units, scale }
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale)
  return {
    units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale),
    scale,
  }
}

/** Rounds to `digits` fraction digits, half away from zero (commercial rounding, as on invoices). */
export function roundDecimal(d: Decimal, digits: number): Decimal {
  if (d.scale <= digits) {
    return { units: d.units * 10n ** BigInt(digits - d.scale), scale: digits }
  }
  const divisor = 10n ** BigInt(d.scale - digits)
  const negative = d.units < 0n
  const abs = negative ? -d.units : d.units
  let q = abs / divisor
  if ((abs % divisor) * 2n >= divisor) {
    q += 1n
  }
  return { units: negative ? -q : q, scale: digits }
}

/**
 * ISO 4217 minor-unit exponents that differ from the usual 2. Amazon marketplaces use only JPY among
 * these today; the rest are here so a new marketplace does not silently get the wrong rounding.
 */
const MINOR_UNIT_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
}

export function minorUnitDigits(currencyCode: string): number {
  return MINOR_UNIT_DIGITS[currencyCode] ?? 2
}

/**
 * The amount in major units, rounded to the currency's minor unit. null when the value is too large to
 * be an exact JS number at that precision (no real order line gets near it).
 */
export function toMajorUnits(d: Decimal, currencyCode: string): number | null {
  const digits = minorUnitDigits(currencyCode)
  const { units } = roundDecimal(d, digits)
  if (units > BigInt(Number.MAX_SAFE_INTEGER) || units < -BigInt(Number.MAX_SAFE_INTEGER)) {
    return null
  }
  // An exact integer divided by a power of ten gives the double nearest to the decimal, the same value
  // parseFloat would give for the rounded string.
  return Number(units) / 10 ** digits
}
