/**
 * Contract checks: does a response body match what Amazon's model declares for that operation and status?
 * Used by the contract tests; also handy for anyone extending the simulator.
 */
import { MODEL_FILES, type OperationKey } from "./operations"
import { describeErrors, getFeedSchemas, sharedSwaggerValidators, type SwaggerValidators } from "./validation"

export interface ContractResult {
  valid: boolean
  /** The definition the body was checked against (undefined when the model declares no body). */
  definition?: string
  errors: string
}

export class ContractValidator {
  constructor(private readonly swagger: SwaggerValidators = sharedSwaggerValidators()) {}

  /** Validate `body` against the schema the model declares for `operation` answering `status`. */
  validateResponse(operation: OperationKey, status: number, body: unknown): ContractResult {
    const [api, operationId] = operation.split(".")
    const file = MODEL_FILES[api]
    const op = this.swagger.operation(file, operationId)
    if (!(String(status) in op.responses)) {
      return { valid: false, errors: `${operation} declares no ${status} response (has ${Object.keys(op.responses).join(", ")})` }
    }
    const definition = op.responses[String(status)]
    if (definition === undefined) {
      const empty = body === undefined || body === "" || body === null
      return { valid: empty, errors: empty ? "" : `${operation} ${status} declares no body but one was sent` }
    }
    const validate = this.swagger.definition(file, definition)
    const valid = validate(body) as boolean
    return { valid, definition, errors: valid ? "" : describeErrors(validate.errors, 10) }
  }

  /** Validate a request body against the operation's `in: body` parameter schema. */
  validateRequest(operation: OperationKey, body: unknown): ContractResult {
    const [api, operationId] = operation.split(".")
    const file = MODEL_FILES[api]
    const definition = this.swagger.operation(file, operationId).bodyDefinition
    if (!definition) return { valid: false, errors: `${operation} takes no body` }
    const validate = this.swagger.definition(file, definition)
    const valid = validate(body) as boolean
    return { valid, definition, errors: valid ? "" : describeErrors(validate.errors, 10) }
  }

  /** Validate a JSON_LISTINGS_FEED processing report against listings-feed-processing-report-schema-v2.json. */
  validateProcessingReport(report: unknown): ContractResult {
    const validate = getFeedSchemas().report
    const valid = validate(report) as boolean
    return { valid, definition: "listings-feed-processing-report-schema-v2", errors: valid ? "" : describeErrors(validate.errors, 10) }
  }
}
