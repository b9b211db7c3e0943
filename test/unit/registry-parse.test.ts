import { describe, expect, it } from 'vitest'
import { parseChallenges } from '../../src/registry/challenge.js'
import { manifestReference, parseImageReference } from '../../src/registry/reference.js'

const D = `sha256:${'ab'.repeat(32)}`

describe('parseImageReference', () => {
  it.each([
    ['ubuntu', { registry: 'docker.io', host: 'registry-1.docker.io', repository: 'library/ubuntu', tag: 'latest' }],
    ['ubuntu:22.04', { registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04' }],
    ['acme/model', { registry: 'docker.io', repository: 'acme/model', tag: 'latest' }],
    ['docker.io/acme/model:v1', { registry: 'docker.io', host: 'registry-1.docker.io', repository: 'acme/model', tag: 'v1' }],
    ['index.docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }],
    ['ghcr.io/acme/model:1.2.0', { registry: 'ghcr.io', host: 'ghcr.io', repository: 'acme/model', tag: '1.2.0' }],
    ['localhost/model', { registry: 'localhost', host: 'localhost', repository: 'model' }],
    ['localhost:5000/a/b/c:t', { registry: 'localhost:5000', host: 'localhost:5000', repository: 'a/b/c', tag: 't' }],
    ['127.0.0.1:5000/acme/model:1.2.0', { registry: '127.0.0.1:5000', repository: 'acme/model', tag: '1.2.0' }],
    ['[::1]:5000/acme/model:v2', { registry: '[::1]:5000', host: '[::1]:5000', repository: 'acme/model', tag: 'v2' }],
    ['[fe80::1]/acme/model', { registry: '[fe80::1]', repository: 'acme/model', tag: 'latest' }],
    [`ghcr.io/acme/model@${D}`, { repository: 'acme/model', tag: undefined, digest: D }],
    [`ghcr.io/acme/model:1.0@${D}`, { repository: 'acme/model', tag: '1.0', digest: D }],
    ['registry/model', { registry: 'docker.io', repository: 'registry/model' }],
    ['a__b/c-d--e.f_g', { registry: 'docker.io', repository: 'a__b/c-d--e.f_g' }],
  ])('%s', (text, expected) => {
    expect(parseImageReference(text)).toMatchObject({ text, ...expected })
  })

  it('asks for the digest when both a tag and a digest are given', () => {
    const ref = parseImageReference(`ghcr.io/acme/model:1.0@${D}`)
    expect(typeof ref !== 'string' && manifestReference(ref)).toBe(D)
  })

  it.each([
    ['ghcr.io/Acme/model', 'repository names must be lower-case'],
    ['Ubuntu', 'repository names must be lower-case'],
    ['ghcr.io/acme/model:bad tag', 'the tag "bad tag" must be'],
    [`ghcr.io/acme/model:${'t'.repeat(129)}`, 'must be 1-128'],
    ['ghcr.io/acme/model@sha256:abc', 'the digest must be sha256:'],
    [`ghcr.io/acme/model@sha512:${'a'.repeat(128)}`, 'the digest must be sha256:'],
    ['ghcr.io/acme//model', '"" is not a valid path component'],
    ['ghcr.io/acme/-model', '"-model" is not a valid path component'],
    [`ghcr.io/${'a'.repeat(250)}`, 'longer than 255'],
    ['host:99999/x', 'the port in "host:99999" is out of range'],
    ['[::1/x', 'is not a valid IPv6 registry address'],
    ['', 'empty'],
    [' ubuntu', 'surrounding spaces'],
  ])('rejects %s', (text, why) => {
    const result = parseImageReference(text)
    expect(typeof result).toBe('string')
    expect(result).toContain(why)
  })
})

describe('parseChallenges', () => {
  it('reads a bearer challenge', () => {
    expect(parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:acme/model:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:acme/model:pull' } },
    ])
  })

  it('splits several challenges, also from several joined headers, with commas inside quotes', () => {
    const joined = 'Basic realm="r1, with comma", Bearer realm="http://127.0.0.1:5001/token",service="test-registry",scope="repository:a/b:pull,push"'
    expect(parseChallenges(joined)).toEqual([
      { scheme: 'basic', params: { realm: 'r1, with comma' } },
      { scheme: 'bearer', params: { realm: 'http://127.0.0.1:5001/token', service: 'test-registry', scope: 'repository:a/b:pull,push' } },
    ])
    expect(parseChallenges(['Basic realm="one"', 'Bearer realm="two", error="insufficient_scope"'])).toEqual([
      { scheme: 'basic', params: { realm: 'one' } },
      { scheme: 'bearer', params: { realm: 'two', error: 'insufficient_scope' } },
    ])
  })

  it('reads unquoted values, escapes, odd spacing and case', () => {
    expect(parseChallenges('BEARER  Realm = https://x/token , Service=reg,  scope="a\\"b"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://x/token', service: 'reg', scope: 'a"b' } },
    ])
  })

  it('skips token68 credentials and garbage without failing', () => {
    expect(parseChallenges('Negotiate dGVzdA==, Basic realm="x"')).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'x' } },
    ])
    expect(parseChallenges('')).toEqual([])
    expect(parseChallenges(undefined)).toEqual([])
    expect(parseChallenges('@@@ ;;;')).toEqual([])
  })
})
