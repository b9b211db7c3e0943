import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { readInputs, type ReadInputsOptions } from '../../src/pipeline/inputs.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`
const TAG_PUSH: ReadInputsOptions = { context: { ref: 'refs/tags/v1.0.0', repository: 'acme/hello', serverUrl: 'https://github.com' }, env: {} }

function read(values: Record<string, string>, options: ReadInputsOptions = TAG_PUSH) {
  return readInputs((name) => values[name] ?? '', options)
}

function problemsOf(values: Record<string, string>, options: ReadInputsOptions = TAG_PUSH): readonly string[] {
  try {
    read(values, options)
  } catch (error: unknown) {
    if (error instanceof InputError) return error.problems
    throw error
  }
  throw new Error('expected an InputError')
}

const VALID = { token: 't0ken', model: 'acme/hello', 'image-digest': DIGEST }

describe('readInputs', () => {
  it('applies the documented defaults', () => {
    const inputs = read(VALID)
    expect(inputs).toMatchObject({
      mode: 'publish',
      token: 't0ken',
      model: { owner: 'acme', name: 'hello' },
      schemasFile: 'schemas.json',
      imageDigest: DIGEST,
      createModel: true,
      defaultSourceUrl: 'https://github.com/acme/hello',
      timeoutSeconds: 30,
      summary: true,
    })
    expect(inputs.apiUrl.href).toBe('https://api.wrift.ai/v1')
    // Metadata inputs are unset unless given: their defaults apply to a created model only.
    expect(inputs.visibility).toBeUndefined()
    expect(inputs.sourceUrl).toBeUndefined()
  })

  it.each([
    ['refs/tags/v1.0.0', 'publish'],
    ['refs/heads/main', 'validate'],
    ['refs/pull/7/merge', 'validate'],
    [undefined, 'validate'],
  ])('auto mode on %s is %s', (ref, mode) => {
    expect(read(VALID, { context: { ref }, env: {} }).mode).toBe(mode)
  })

  it('validate mode needs no token and no digest', () => {
    expect(read({ model: 'acme/hello', mode: 'validate' }).mode).toBe('validate')
  })

  it('falls back to WRIFTAI_ACCESS_TOKEN and WRIFTAI_API_BASE_URL', () => {
    const inputs = read({ model: 'acme/hello', 'image-digest': DIGEST }, { ...TAG_PUSH, env: { WRIFTAI_ACCESS_TOKEN: 'from-env', WRIFTAI_API_BASE_URL: 'http://127.0.0.1:9/v1' } })
    expect(inputs.token).toBe('from-env')
    expect(inputs.apiUrl.href).toBe('http://127.0.0.1:9/v1')
  })

  it('takes the digest from an image pinned by digest', () => {
    const inputs = read({ token: 't', model: 'acme/hello', image: `ghcr.io/acme/hello@${DIGEST}` })
    expect(inputs.imageDigest).toBeUndefined()
    expect(inputs.image).toMatchObject({ registry: 'ghcr.io', repository: 'acme/hello', digest: DIGEST })
  })

  it.each([
    [{ model: '' }, 'model: required (owner/name)'],
    [{ model: 'acme' }, 'model: "acme" is not in owner/name form'],
    [{ model: 'acme/hello/extra' }, 'model: "acme/hello/extra" is not in owner/name form'],
    [{ model: 'acme/hello:3' }, 'model: "acme/hello:3" names a version; give the model as owner/name'],
    [{ model: 'acme/he llo' }, "model: \"acme/he llo\" has an invalid name \"he llo\" (letters, digits, '.', '_' and '-', at most 100)"],
    [{ token: '' }, 'token: required to publish; set the token input or WRIFTAI_ACCESS_TOKEN'],
    [{ 'image-digest': 'sha256:ABC' }, 'image-digest: "sha256:ABC" is not sha256: followed by 64 lower-case hex characters'],
    [{ 'image-digest': DIGEST.toUpperCase() }, `image-digest: "${DIGEST.toUpperCase()}" is not sha256: followed by 64 lower-case hex characters`],
    [{ 'image-digest': '' }, 'image-digest: required to publish: set image-digest or image (repository@sha256:…)'],
    [{ image: `ghcr.io/Acme/hello@${DIGEST}` }, `image: "ghcr.io/Acme/hello@${DIGEST}" is not a valid image reference: repository names must be lower-case`],
    [{ platform: 'linux/amd64' }, 'platform: needs the image input: a platform is picked from the image index'],
    [{ image: 'ghcr.io/acme/hello:1.0', platform: 'linux' }, 'platform: "linux" is not os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8'],
    [{ 'registry-username': 'ci' }, 'registry-password: required with registry-username'],
    [{ 'registry-password': 'pw' }, 'registry-username: required with registry-password'],
    [{ 'insecure-registry': 'maybe' }, 'insecure-registry: "maybe" is not true or false'],
    [{ image: `ghcr.io/acme/hello@sha256:${'cd'.repeat(32)}` }, `image-digest: ${DIGEST} differs from the digest in image (sha256:${'cd'.repeat(32)})`],
    [{ visibility: 'internal' }, 'visibility: "internal" is not one of private, public'],
    [{ mode: 'deploy' }, 'mode: "deploy" is not one of auto, publish, validate'],
    [{ 'create-model': 'yes' }, 'create-model: "yes" is not true or false'],
    [{ summary: 'off' }, 'summary: "off" is not true or false'],
    [{ 'timeout-seconds': '0' }, 'timeout-seconds: "0" is not a number of seconds between 0 and 600'],
    [{ 'timeout-seconds': 'ten' }, 'timeout-seconds: "ten" is not a number of seconds between 0 and 600'],
    [{ 'api-url': 'http://api.example.com/v1' }, 'api-url: "http://api.example.com/v1" must use https (plain http only for a loopback host)'],
    [{ 'api-url': 'not a url' }, 'api-url: "not a url" is not a URL'],
    [{ 'api-url': 'https://user:pw@api.example.com/v1' }, 'api-url: must not carry credentials (user:password@); the token input is the only credential the API gets'],
    // Refused as credentials before the scheme is looked at, so the URL is never echoed.
    [{ 'api-url': 'http://bot:hunter2pass@api.example/v1' }, 'api-url: must not carry credentials (user:password@); the token input is the only credential the API gets'],
    [{ 'api-url': 'https://api.example.com/v1?x=1' }, 'api-url: must not carry a query or a fragment'],
    [{ 'source-url': 'ftp://bot:hunter2pass@example.com/x' }, 'source-url: "ftp://***@example.com/x" is not an http(s) URL'],
    [{ token: 'wai_abc\n::notice::x' }, 'token: contains a line break or another control character; check the secret'],
    [{ 'license-url': 'ftp://example.com/LICENSE' }, 'license-url: "ftp://example.com/LICENSE" is not an http(s) URL'],
  ])('rejects %j with one line naming the input', (override, problem) => {
    expect(problemsOf({ ...VALID, ...override })).toEqual([problem])
  })

  it('reports every bad input at once', () => {
    const problems = problemsOf({ model: 'nope', 'image-digest': 'sha1:x', visibility: 'secret', 'timeout-seconds': '-1' }, { ...TAG_PUSH, env: {} })
    expect(problems.map((p) => p.split(':')[0])).toEqual(['model', 'token', 'image-digest', 'visibility', 'timeout-seconds'])
  })

  it('never puts the token in a message', () => {
    const problems = problemsOf({ token: 'super-secret-token', model: 'bad', 'image-digest': 'bad' })
    expect(problems.join('\n')).not.toContain('super-secret-token')
  })
})
