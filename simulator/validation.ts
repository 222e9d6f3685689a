/**
 * ajv over Amazon's own schema files: the JSON_LISTINGS_FEED schemas (draft-07) and the Swagger 2.0 models,
 * whose `definitions` are registered under an id so `{ $ref: "<id>#/definitions/X" }` compiles.
 *
 * Swagger quirks handled: `x-*` vendor keywords and `example` are ignored (strict: false), and the
 * OpenAPI-only formats (`double`, `int32`, …) are accepted as annotations.
 */
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv"
import addFormats from "ajv-formats"

export const VENDOR_DIR = resolve(__dirname, "../vendor/amazon")

export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false })
  addFormats(ajv)
  for (const format of ["double", "float", "int32", "int64", "byte", "binary", "password"]) {
    ajv.addFormat(format, true)
  }
  return ajv
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"))
}

/** A one-line summary of ajv errors, e.g. `/patches/0/op must be equal to one of the allowed values`. */
export function describeErrors(errors: ErrorObject[] | null | undefined, limit = 3): string {
  if (!errors || errors.length === 0) return "invalid"
  const seen = new Set<string>()
  const parts: string[] = []
  for (const error of errors) {
    // oneOf failures repeat every branch's complaint; one line per distinct text is enough.
    const text = `${error.instancePath || "/"} ${error.message ?? "is invalid"}${
      error.keyword === "additionalProperties" ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : ""
    }`
    if (seen.has(text)) continue
    seen.add(text)
    parts.push(text)
    if (parts.length >= limit) break
  }
  return parts.join("; ")
}

export interface FeedSchemas {
  /** listings-feed-schema-v2.json: the whole feed document. */
  document: ValidateFunction
  /** listings-feed-message-schema-v2.json: one message. */
  message: ValidateFunction
  /** listings-feed-processing-report-schema-v2.json. */
  report: ValidateFunction
}

let feedSchemas: FeedSchemas | undefined

export function getFeedSchemas(): FeedSchemas {
  if (!feedSchemas) {
    const ajv = createAjv()
    const dir = resolve(VENDOR_DIR, "schemas/feeds")
    feedSchemas = {
      document: ajv.compile(readJson(resolve(dir, "listings-feed-schema-v2.json")) as object),
      message: ajv.compile(readJson(resolve(dir, "listings-feed-message-schema-v2.json")) as object),
      report: ajv.compile(readJson(resolve(dir, "listings-feed-processing-report-schema-v2.json")) as object),
    }
  }
  return feedSchemas
}

export interface SwaggerOperation {
  method: string
  path: string
  operationId: string
  /** status code → definition name (undefined when the response has no body schema). */
  responses: Record<string, string | undefined>
  /** The `in: body` parameter's definition name, if any. */
  bodyDefinition?: string
}

export interface SwaggerModel {
  file: string
  id: string
  document: { paths: Record<string, Record<string, unknown>>; definitions: Record<string, unknown> }
}

/** Loads Swagger models once and compiles definition validators on demand. */
export class SwaggerValidators {
  private readonly ajv = createAjv()
  private readonly models = new Map<string, SwaggerModel>()
  private readonly compiled = new Map<string, ValidateFunction>()

  model(file: string): SwaggerModel {
    let model = this.models.get(file)
    if (!model) {
      const document = readJson(resolve(VENDOR_DIR, "models", file)) as SwaggerModel["document"]
      // The file name goes in the path: URI normalisation lowercases hosts, and model names are camelCase.
      const id = `https://sp-api-simulator.local/models/${file}`
      this.ajv.addSchema({ $id: id, definitions: document.definitions }, id)
      model = { file, id, document }
      this.models.set(file, model)
    }
    return model
  }

  /** Validator for `#/definitions/<name>` of a model file. */
  definition(file: string, name: string): ValidateFunction {
    const key = `${file}#${name}`
    let validate = this.compiled.get(key)
    if (!validate) {
      const model = this.model(file)
      if (!(name in model.document.definitions)) throw new Error(`${file} has no definition ${name}`)
      validate = this.ajv.compile({ $ref: `${model.id}#/definitions/${name}` })
      this.compiled.set(key, validate)
    }
    return validate
  }

  /** The operation of a model by operationId, with the definition name of each response. */
  operation(file: string, operationId: string): SwaggerOperation {
    const model = this.model(file)
    for (const [path, item] of Object.entries(model.document.paths)) {
      for (const [method, raw] of Object.entries(item)) {
        const op = raw as {
          operationId?: string
          responses?: Record<string, { schema?: { $ref?: string } }>
          parameters?: { in: string; schema?: { $ref?: string } }[]
        }
        if (op?.operationId !== operationId || !op.responses) continue
        const responses: Record<string, string | undefined> = {}
        for (const [status, response] of Object.entries(op.responses)) {
          responses[status] = refName(response.schema?.$ref)
        }
        const body = op.parameters?.find((p) => p.in === "body")
        return { method: method.toUpperCase(), path, operationId, responses, bodyDefinition: refName(body?.schema?.$ref) }
      }
    }
    throw new Error(`${file} has no operation ${operationId}`)
  }
}

function refName(ref: string | undefined): string | undefined {
  if (!ref) return undefined
  const prefix = "#/definitions/"
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`)
  return ref.slice(prefix.length)
}

let shared: SwaggerValidators | undefined

/** One process-wide instance: the models never change, so compiled validators can be shared by every simulator. */
export function sharedSwaggerValidators(): SwaggerValidators {
  shared ??= new SwaggerValidators()
  return shared
}
