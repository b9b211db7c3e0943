/** Every rule id a schemas check can report; ids are stable, so workflows may match on them. */
export const RULES = {
  'invalid-json': 'JSON syntax, at the line and column of the fault',
  'duplicate-key': 'the same key twice in one object',
  'too-deep': 'nesting deeper than 256 levels',
  envelope: 'the file is {"prediction": {"input", "output"}}, optionally with "training" of the same shape',
  'schema-draft': 'a "$schema" other than JSON Schema 2020-12',
  'meta-schema': 'the 2020-12 meta-schema',
  'unknown-keyword': 'a keyword no 2020-12 vocabulary defines, with the likely one it was meant to be',
  nullable: 'the OpenAPI 3.0 "nullable", which 2020-12 validators ignore',
  'legacy-keyword': 'a keyword of an older draft ("definitions", "dependencies", …)',
  'unknown-format': 'a "format" no validator checks',
  'remote-ref': 'a "$ref" outside the file',
  'unresolved-ref': 'a "$ref" to nothing in the file',
  'input-root': 'the input schema\'s root is "type": "object" with "properties"',
  'required-unknown': 'a "required" name that is not in "properties"',
  'schema-compile': 'what ajv\'s strict mode rejects beyond the rules above',
  'default-mismatch': 'a "default" its own schema rejects',
  'example-mismatch': 'an "examples" item its own schema rejects',
  'enum-mismatch': 'an "enum" member the rest of its schema rejects',
  'const-mismatch': 'a "const" the rest of its schema rejects',
  'required-with-default': 'a required property with a default, which is never used',
  'keyword-not-applicable': 'a keyword for another type than the declared one ("minLength" on an integer), which never applies',
  'unsatisfiable-range': 'bounds that no value meets ("minimum" above "maximum", integer bounds with no integer between)',
  'enum-duplicate': 'the same "enum" member twice',
  'schema-drift': 'a difference between the schemas file and the Cog schema its image serves',
} as const

export type RuleId = keyof typeof RULES
