/**
 * How alike an Amazon item name and a store product/variant title are: the Sørensen–Dice coefficient of
 * their word sets, 2·|shared words| / (|words of A| + |words of B|). "Ceramic mug, red" against "Ceramic
 * mug · Red" is 100 %; against "Ceramic mug · Blue" 67 % (2 of 3 words on each side). Words are compared
 * lower-cased, accents kept; two words of 5+ letters one edit apart count as shared (typos, "colour" /
 * "color").
 *
 * Written here rather than taken from a package: the string-distance packages in node_modules
 * (js-levenshtein, leven) arrive only as dependencies of dev tools, and a character distance over whole
 * titles punishes word order ("Mug red ceramic") that a word-set score ignores. Pure and small enough to
 * explain in the admin as "title 82 % alike".
 */

/** Words of a title: letters and digits of any script, lower-cased, without duplicates. */
export function titleWords(title: string | null | undefined): string[] {
  const words = (title ?? "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  return [...new Set(words)]
}

/** Whether a and b differ by at most one insertion, deletion or substitution. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false
  let i = 0
  let j = 0
  let edits = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++
      j++
      continue
    }
    if (++edits > 1) return false
    if (a.length > b.length) i++
    else if (b.length > a.length) j++
    else {
      i++
      j++
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1
}

function sameWord(a: string, b: string): boolean {
  return a === b || (a.length >= 5 && b.length >= 5 && withinOneEdit(a, b))
}

/** Dice coefficient of the two titles' word sets, 0…1 (0 when either has no word). */
export function titleSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  const wa = titleWords(a)
  const wb = titleWords(b)
  if (!wa.length || !wb.length) return 0
  const unused = [...wb]
  let shared = 0
  for (const w of wa) {
    const k = unused.findIndex((u) => sameWord(w, u))
    if (k >= 0) {
      shared++
      unused.splice(k, 1)
    }
  }
  return (2 * shared) / (wa.length + wb.length)
}
