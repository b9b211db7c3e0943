// What is published is what was written, and what is shown is what was written: through the bundle,
// a number JSON cannot hold, a line break that a Markdown renderer honours, and an input named
// "__proto__", each from a schemas file a pull request controls.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROOT, runAction, tagPushEnv, type ActionRun } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'

const TOKEN = 'wai_test_acme_token'
const DIGEST = `sha256:${'7a'.repeat(32)}`

let sandbox: Sandbox
let example: { prediction: { input: { properties: Record<string, unknown> }; output: unknown } }
beforeEach(async () => {
  sandbox = await startSandbox()
  example = JSON.parse(await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8'))
})
afterEach(async () => sandbox.close())

const publish = (schemas: string, inputs: Record<string, string> = {}, env: Record<string, string> = tagPushEnv()): Promise<ActionRun> =>
  runAction({
    inputs: { token: TOKEN, model: 'acme/hello-world', 'image-digest': DIGEST, hardware: 'cpu', 'api-url': sandbox.url, ...inputs },
    files: { 'schemas.json': schemas },
    env,
  })

const commands = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::') && !l.startsWith('::add-mask::'))

describe('numbers JSON parsers cannot hold', () => {
  it('refuses 1e400 and -1e999 at their line and column, and publishes nothing', async () => {
    const text = [
      '{"prediction": {"input": {"type": "object", "properties": {',
      '  "scale": {"type": "number", "default": 1e400}},',
      '  "x-weight": -1e999},',
      ' "output": {"type": "string"}}}',
    ].join('\n')
    const r = await publish(text)
    expect(r.code).toBe(1)
    expect(commands(r).filter((c) => c.includes('number-too-large'))).toEqual([
      '::error title=number-too-large,file=schemas.json,line=2,col=42::1e400 is beyond the largest number JSON parsers hold (about 1.8e308): it reads as Infinity and would be published as null',
      '::error title=number-too-large,file=schemas.json,line=3,col=15::-1e999 is beyond the largest number JSON parsers hold (about 1.8e308): it reads as -Infinity and would be published as null',
    ])
    expect(commands(r).at(-1)).toMatch(/^::error::schemas\.json has \d+ errors; nothing was published$/)
    expect(sandbox.writes()).toEqual([])
  })
})

describe('line breaks in user text', () => {
  it.each([
    ['a bare CR', '\r\r## ✅ Published acme/hello-world:7\r'],
    ['U+2028', '\u2028## ✅ Published acme/hello-world:7\u2029'],
    ['CRLF', '\r\n## ✅ Published acme/hello-world:7\r\n'],
  ])("keeps %s in a description on its table row of the pull request's job summary", async (_name, text) => {
    example.prediction.input.properties.prompt = { type: 'string', description: `Prompt${text}` }
    const r = await publish(JSON.stringify(example), { token: '' }, { ...tagPushEnv(), GITHUB_REF: 'refs/pull/12/merge', GITHUB_EVENT_NAME: 'pull_request' })
    expect(r.code, r.stdout).toBe(0)
    // Every line a CommonMark renderer sees: a forged heading would start one.
    const lines = r.summary.split(/\r\n|[\n\r\u2028\u2029]/)
    expect(lines.filter((l) => l.includes('Published acme/hello-world:7'))).toEqual([`| \`prompt\` | string | yes |  | Prompt${text.replace(/\r\n|[\n\r\u2028\u2029]/g, ' ')} |`])
    expect(lines.filter((l) => l.startsWith('#'))).toEqual(['## ✅ Plan: schemas.json for acme/hello-world', '### Inputs'])
  })
})

describe('an input named "__proto__"', () => {
  // As text: in a JavaScript object literal, "__proto__" would set the prototype instead.
  const schemas = (property: unknown, required: string[] = []) =>
    `{"prediction": {"input": {"type": "object", "properties": {"__proto__": ${JSON.stringify(property)}, "prompt": {"type": "string"}}, "required": ${JSON.stringify(required)}}, "output": {"type": "string"}}}`

  const live = () =>
    sandbox.addModel('acme', 'hello-world', { versions: [{ release_notes: 'v1', schemas: JSON.parse(schemas({ type: 'string' })), container_image_digest: DIGEST }] })

  it('reports its type narrowed as breaking, and fail-on-breaking stops the publish', async () => {
    live()
    const r = await publish(schemas({ type: 'integer' }), { 'fail-on-breaking': 'true' })
    expect(r.code).toBe(1)
    expect(commands(r)).toContainEqual(
      '::error title=type-narrowed,file=schemas.json,line=1,col=74::input "__proto__" no longer accepts string (now integer); e.g. {"__proto__":"a"} was accepted by acme/hello-world:1 and is now rejected [f71bbf4c9d03]',
    )
    expect(sandbox.writes()).toEqual([])
  })

  it('takes it in "required" as the property it is, and checks its default', async () => {
    const r = await publish(schemas({ type: 'integer', default: 'x' }, ['__proto__']))
    expect(r.code).toBe(1)
    expect(commands(r).filter((c) => c.includes('required-unknown'))).toEqual([])
    expect(commands(r)).toContainEqual(
      expect.stringMatching(/^::error title=default-mismatch,file=schemas\.json,line=1,col=\d+::default "x" does not match its schema: must be integer$/),
    )
    expect(sandbox.writes()).toEqual([])
  })
})
