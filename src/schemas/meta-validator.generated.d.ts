import type { ErrorObject } from 'ajv'

/** ajv's validator for the JSON Schema 2020-12 meta-schema, compiled ahead of time. */
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }
export default validate
