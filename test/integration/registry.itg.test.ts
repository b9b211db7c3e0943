// Digest resolution against the real CNCF registry on loopback, in each auth mode, cross-checked
// with skopeo; credentials from inputs, config.json and a credential helper.
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defaultPolicy, type HttpPolicy } from '../../src/http/request.js'
import { parsePlatform, type Platform } from '../../src/registry/platform.js'
import { parseImageReference, type ImageReference } from '../../src/registry/reference.js'
import { resolveImage, type ResolveImageOptions } from '../../src/registry/resolve.js'
import { ROOT, runAction, runCliBundle, secretLeaks, tagPushEnv } from '../helpers/run-action.js'
import { startSandbox, type Sandbox } from '../sandbox/server.js'
import { PASSWORD, registryAvailable, startRegistry, USER, type RegistryAuth, type RunningRegistry } from '../registry/harness.js'
import { pushTestImages, type PushedImages } from '../registry/images.js'

const available = registryAvailable()
// In CI the registry tests must run: a missing package is a failure, not a skip.
if (!available && process.env.CI) throw new Error('docker-registry, htpasswd and openssl must be installed (.ci/run installs them)')

let root: string
let pushed: PushedImages
let policy: HttpPolicy

beforeAll(async () => {
  if (!available) return
  root = await mkdtemp(path.join(tmpdir(), 'registry-data-'))
  const open = await startRegistry(root, 'anonymous')
  try {
    pushed = await pushTestImages(open.host)
  } finally {
    await open.stop()
  }
  policy = defaultPolicy({ timeoutMs: 5_000, maxAttempts: 2 })
})
afterAll(async () => {
  await policy?.pool.close()
  if (root) await rm(root, { recursive: true, force: true })
})

function ref(text: string): ImageReference {
  const parsed = parseImageReference(text)
  if (typeof parsed === 'string') throw new Error(parsed)
  return parsed
}

function platform(text: string): Platform {
  const parsed = parsePlatform(text)
  if (typeof parsed === 'string') throw new Error(parsed)
  return parsed
}

// Asynchronous: the token server answers skopeo from this same process.
async function skopeo(args: string[], creds?: string): Promise<string> {
  const { stdout } = await promisify(execFile)('skopeo', ['inspect', '--tls-verify=false', ...(creds ? ['--creds', creds] : []), ...args], {
    env: { ...process.env, HOME: tmpdir() },
  })
  return stdout.trim()
}

const skopeoDigest = (image: string, creds?: string) => skopeo([`docker://${image}`, '--format', '{{.Digest}}'], creds)

const cli = (args: string[], env: Record<string, string> = {}) => runCliBundle(args, { HOME: tmpdir(), ...env })

const MODES: { auth: RegistryAuth; creds?: { username: string; password: string } }[] = [
  { auth: 'anonymous' },
  { auth: 'htpasswd', creds: { username: USER, password: PASSWORD } },
  { auth: 'token', creds: { username: USER, password: PASSWORD } },
]

describe.skipIf(!available).each(MODES)('a registry with $auth access', ({ auth, creds }) => {
  let registry: RunningRegistry
  const options = (extra: Partial<ResolveImageOptions> = {}): ResolveImageOptions => ({ insecure: false, policy, env: { HOME: '/nonexistent' }, ...creds, ...extra })
  const skopeoCreds = creds ? `${creds.username}:${creds.password}` : undefined

  beforeAll(async () => {
    registry = await startRegistry(root, auth)
  })
  afterAll(async () => registry?.stop())

  it.each([
    ['acme/single:1.0', 'single'],
    ['acme/multi:1.0', 'index'],
    ['acme/dockerlist:1.0', 'list'],
    ['acme/nested:1.0', 'nested'],
  ] as const)('resolves %s to the digest skopeo reports (%s)', async (name, key) => {
    const image = `${registry.host}/${name}`
    const resolved = await resolveImage(ref(image), options())
    expect(resolved).toEqual({ reference: `${registry.host}/${name.split(':')[0]}@${pushed[key]}`, digest: pushed[key], how: 'resolved' })
    expect(await skopeoDigest(image, skopeoCreds)).toBe(pushed[key])
  })

  it.each([
    ['acme/multi:1.0', 'linux/amd64', 'indexAmd64', 'index'],
    ['acme/multi:1.0', 'linux/arm64', 'indexArm64', 'index'],
    ['acme/multi:1.0', 'linux/arm64/v8', 'indexArm64', 'index'],
    ['acme/dockerlist:1.0', 'linux/aarch64', 'listArm64', 'list'],
    ['acme/dockerlist:1.0', 'linux/x86_64', 'listAmd64', 'list'],
    ['acme/nested:1.0', 'linux/amd64', undefined, 'nested'],
  ] as const)('picks %s for %s from the index', async (name, wanted, key, index) => {
    const resolved = await resolveImage(ref(`${registry.host}/${name}`), options({ platform: platform(wanted) }))
    expect(resolved.index).toBe(pushed[index])
    if (key) expect(resolved.digest).toBe(pushed[key])
    // The child skopeo finds in the index it reads raw is the same one.
    const raw = JSON.parse(await skopeo(['--raw', `docker://${registry.host}/${name}`], skopeoCreds)) as { manifests: { digest: string }[] }
    if (key) expect(raw.manifests.map((m) => m.digest)).toContain(resolved.digest)
  })

  it('never picks the attestation entry, and names the platforms an index has', async () => {
    await expect(resolveImage(ref(`${registry.host}/acme/multi:1.0`), options({ platform: platform('unknown/unknown') }))).rejects.toThrow(
      `${registry.host}/acme/multi@${pushed.index} has no unknown/unknown image; it has linux/amd64, linux/arm64`,
    )
    await expect(resolveImage(ref(`${registry.host}/acme/single:1.0`), options({ platform: platform('linux/arm64') }))).rejects.toThrow(
      `${registry.host}/acme/single@${pushed.single} is a single linux/amd64 image, not linux/arm64`,
    )
  })

  it('verifies a digest reference and checks that an image-digest exists in the repository', async () => {
    expect(await resolveImage(ref(`${registry.host}/acme/multi@${pushed.index}`), options())).toEqual({
      reference: `${registry.host}/acme/multi@${pushed.index}`,
      digest: pushed.index,
      how: 'verified',
    })
    expect((await resolveImage(ref(`${registry.host}/acme/multi`), options({ imageDigest: pushed.indexArm64 }))).digest).toBe(pushed.indexArm64)
    const missing = `sha256:${'0'.repeat(64)}`
    await expect(resolveImage(ref(`${registry.host}/acme/multi`), options({ imageDigest: missing }))).rejects.toThrow(
      `${registry.host}/acme/multi@${missing} does not exist; a version must record a digest that can be pulled`,
    )
  })

  it('reports a missing tag plainly', async () => {
    await expect(resolveImage(ref(`${registry.host}/acme/single:nope`), options())).rejects.toThrow(`${registry.host}/acme/single:nope was not found in the registry`)
  })

  it('prints the digest from the CLI bundle', async () => {
    const args = ['digest', `${registry.host}/acme/multi:1.0`, ...(creds ? ['--registry-username', creds.username] : [])]
    const run = await cli(args, creds ? { WRIFTAI_REGISTRY_PASSWORD: creds.password } : {})
    expect(run).toEqual({ code: 0, stdout: `${pushed.index}\n`, stderr: '' })
    const arm = await cli([...args, '--platform', 'linux/arm64', '--json'], creds ? { WRIFTAI_REGISTRY_PASSWORD: creds.password } : {})
    expect(JSON.parse(arm.stdout)).toEqual({
      ok: true,
      reference: `${registry.host}/acme/multi@${pushed.indexArm64}`,
      digest: pushed.indexArm64,
      how: 'resolved',
      platform: 'linux/arm64',
      index: pushed.index,
    })
  })

  if (creds) {
    it('is denied without credentials and with a wrong password, naming where they came from', async () => {
      const image = ref(`${registry.host}/acme/single:1.0`)
      await expect(resolveImage(image, { insecure: false, policy, env: { HOME: '/nonexistent' } })).rejects.toThrow(
        `access to ${registry.host}/acme/single:1.0 was denied anonymously; set registry-username and registry-password, or log in with docker/login-action first`,
      )
      const wrong = resolveImage(image, options({ password: 'wrong-password' }))
      if (auth === 'htpasswd')
        await expect(wrong).rejects.toThrow(`access to ${registry.host}/acme/single:1.0 was denied with the credentials from registry-username/registry-password`)
      else
        await expect(wrong).rejects.toThrow(
          `the token server ${registry.tokenServer!.realm.replace('/token', '')} refused the credentials from registry-username/registry-password (HTTP 401)`,
        )
    })

    it('reads credentials from config.json auths, as docker/login-action writes them', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'docker-config-'))
      await writeFile(path.join(dir, 'config.json'), JSON.stringify({ auths: { [`http://${registry.host}`]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } }))
      const resolved = await resolveImage(ref(`${registry.host}/acme/single:1.0`), { insecure: false, policy, env: { DOCKER_CONFIG: dir } })
      expect(resolved.digest).toBe(pushed.single)
    })

    it('asks a credential helper named in credHelpers, and one named in credsStore', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'docker-helper-'))
      const asked = path.join(dir, 'asked.txt')
      const helper = path.join(dir, 'docker-credential-test')
      await writeFile(
        helper,
        `#!/bin/sh\n[ "$1" = get ] || exit 1\nread -r server\necho "$server" >> ${asked}\nif [ "$server" = "${registry.host}" ]; then printf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server"; else echo "credentials not found in native keychain"; exit 1; fi\n`,
      )
      await chmod(helper, 0o755)
      const savedPath = process.env.PATH
      process.env.PATH = `${dir}:${savedPath}`
      try {
        await writeFile(path.join(dir, 'config.json'), JSON.stringify({ auths: {}, credHelpers: { [registry.host]: 'test' } }))
        expect((await resolveImage(ref(`${registry.host}/acme/single:1.0`), { insecure: false, policy, env: { DOCKER_CONFIG: dir } })).digest).toBe(pushed.single)
        await writeFile(path.join(dir, 'config.json'), JSON.stringify({ credsStore: 'test' }))
        expect((await resolveImage(ref(`${registry.host}/acme/multi:1.0`), { insecure: false, policy, env: { DOCKER_CONFIG: dir } })).digest).toBe(pushed.index)
      } finally {
        process.env.PATH = savedPath
      }
      expect((await readFile(asked, 'utf8')).split('\n').filter(Boolean)).toEqual([registry.host, registry.host])
    })
  }

  if (auth === 'token') {
    it('fetches an anonymous token for a public repository, and sends credentials only to the realm', async () => {
      const requests = registry.tokenServer!.requests
      requests.length = 0
      const resolved = await resolveImage(ref(`${registry.host}/public/hello:1`), { insecure: false, policy, env: { HOME: '/nonexistent' } })
      expect(requests).toEqual([{ account: '', authorization: undefined, scopes: ['repository:public/hello:pull'], service: 'test-registry', receivedAt: expect.any(Number) }])
      expect(resolved.digest).toBe(await skopeoDigest(`${registry.host}/public/hello:1`))

      requests.length = 0
      await resolveImage(ref(`${registry.host}/acme/single:1.0`), options())
      expect(requests.map((r) => [r.account, r.scopes])).toEqual([['ci', ['repository:acme/single:pull']]])
      expect(requests[0]!.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`)
    })
  }
})

describe.skipIf(!available)('the bundle with an image in a real registry', () => {
  const TOKEN = 'wai_test_acme_token'
  let registry: RunningRegistry
  let sandbox: Sandbox
  let schemas: string

  beforeAll(async () => {
    registry = await startRegistry(root, 'token')
    schemas = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
  })
  afterAll(async () => registry?.stop())
  beforeEach(async () => {
    sandbox = await startSandbox()
    registry.tokenServer!.requests.length = 0
  })
  afterEach(async () => sandbox.close())

  const publish = (inputs: Record<string, string>) =>
    runAction({
      inputs: { token: TOKEN, model: 'acme/hello-world', hardware: 'cpu', 'api-url': sandbox.url, 'registry-username': USER, 'registry-password': PASSWORD, ...inputs },
      files: { 'schemas.json': schemas },
      env: tagPushEnv(),
    })

  it('records the digest the tag resolves to, and keeps both secrets out of everything', async () => {
    const run = await publish({ image: `${registry.host}/acme/multi:1.0` })
    expect(run.code).toBe(0)
    expect(run.outputs['image-digest']).toBe(pushed.index)
    expect(sandbox.models.get('acme/hello-world')!.versions.map((v) => v.container_image_digest)).toEqual([pushed.index])
    expect(run.summary).toContain(`| Image | \`${registry.host}/acme/multi@${pushed.index}\` (resolved) |`)
    expect(secretLeaks(run, [TOKEN, PASSWORD])).toEqual([])
    expect(run.stdout).toContain(`::add-mask::${PASSWORD}`)
    // The registry's token server saw the registry credentials, never the WriftAI token.
    const seen = registry.tokenServer!.requests.map((r) => r.authorization ?? '')
    expect(seen).toEqual([`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`])
    expect(seen.join()).not.toContain(TOKEN)
  })

  it('looks the image up while the model lookup waits for its answer', async () => {
    // A re-run: one WriftAI request. Each side is held 500 ms, so looked up one after the other, the
    // second request would arrive only once the first had been answered.
    sandbox.addModel('acme', 'hello-world', { versions: [{ release_notes: 'v1', schemas: JSON.parse(schemas), container_image_digest: pushed.index }] })
    sandbox.latencyMs = 500
    registry.tokenServer!.delayMs = 500
    try {
      const run = await publish({ image: `${registry.host}/acme/multi:1.0` })
      expect(run.code, run.stdout).toBe(0)
      expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /models/acme/hello-world'])
      const [model, token] = [sandbox.requests[0]!, registry.tokenServer!.requests[0]!]
      expect(Math.abs(model.receivedAt - token.receivedAt)).toBeLessThan(250)
    } finally {
      registry.tokenServer!.delayMs = 0
    }
  })

  it('publishes the platform picked from the index', async () => {
    const run = await publish({ image: `${registry.host}/acme/dockerlist:1.0`, platform: 'linux/arm64' })
    expect(run.code).toBe(0)
    expect(run.outputs['image-digest']).toBe(pushed.listArm64)
    expect(run.summary).toContain(`| Image | \`${registry.host}/acme/dockerlist@${pushed.listArm64}\` (resolved for linux/arm64) |`)
  })

  it('fails before any WriftAI write when image-digest is not in the repository', async () => {
    const missing = `sha256:${'0'.repeat(64)}`
    const run = await publish({ image: `${registry.host}/acme/multi`, 'image-digest': missing })
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([
      `::error::${registry.host}/acme/multi@${missing} does not exist; a version must record a digest that can be pulled`,
    ])
    expect(sandbox.writes()).toEqual([])
  })

  it('checks an existing image-digest and publishes it', async () => {
    const run = await publish({ image: `${registry.host}/acme/multi`, 'image-digest': pushed.indexAmd64 })
    expect(run.code).toBe(0)
    expect(sandbox.models.get('acme/hello-world')!.versions[0]!.container_image_digest).toBe(pushed.indexAmd64)
    expect(run.summary).toContain('(exists in the registry)')
  })
})

describe.skipIf(!available)('Cog images in a real registry', () => {
  const TOKEN = 'wai_test_acme_token'
  let registry: RunningRegistry
  let sandbox: Sandbox
  const registryEnv = () => ({ WRIFTAI_REGISTRY_PASSWORD: PASSWORD })
  const fixture = (name: string) => path.join(ROOT, 'test/fixtures/cog', `${name}.openapi.json`)

  beforeAll(async () => {
    registry = await startRegistry(root, 'token')
  })
  afterAll(async () => registry?.stop())
  beforeEach(async () => {
    sandbox = await startSandbox()
  })
  afterEach(async () => sandbox.close())

  /** What `import-cog FILE` makes of a fixture: the schemas the image's label must give too. */
  async function converted(name: string): Promise<string> {
    const run = await cli(['import-cog', fixture(name)])
    expect(run.code, run.stderr).toBe(0)
    return run.stdout
  }

  const publish = (inputs: Record<string, string>, files: Record<string, string> = {}) =>
    runAction({
      inputs: { token: TOKEN, model: 'acme/sdxl', hardware: 'gpu-l40s', 'api-url': sandbox.url, 'registry-username': USER, 'registry-password': PASSWORD, ...inputs },
      files,
      env: tagPushEnv(),
    })

  /** The converted single-image schemas with one edit, as a hand-edited schemas.json. */
  async function edited(edit: (schemas: { prediction: { input: { properties: Record<string, Record<string, unknown>> } } }) => void): Promise<string> {
    const schemas = JSON.parse(await converted('pydantic-v1'))
    edit(schemas)
    return JSON.stringify(schemas, null, 2)
  }

  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1

  it('import-cog --image gives what import-cog FILE gives, for an image and an index', async () => {
    for (const [image, name] of [
      [`${registry.host}/acme/cog-sdxl:1.0`, 'pydantic-v1'],
      [`${registry.host}/acme/cog-llm:1.0`, 'pydantic-v2'],
    ] as const) {
      const run = await cli(['import-cog', '--image', image, '--registry-username', USER], registryEnv())
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toBe(await converted(name))
    }
  })

  it('import-cog reads standard input and writes --out, with notes on standard error; --platform picks from an index', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'import-cog-')), 'schemas.json')
    const child = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'import-cog', '-', '--out', out], {
      input: await readFile(fixture('go-generator'), 'utf8'),
      encoding: 'utf8',
    })
    expect(child.status).toBe(0)
    expect(child.stdout).toBe('')
    expect(child.stderr).toBe(`note: components.schemas.TranscriptionResult.discriminator was dropped: OpenAPI's "discriminator" has no JSON Schema 2020-12 form\nwrote ${out}\n`)
    expect(await readFile(out, 'utf8')).toBe(await converted('go-generator'))
    const arm = await cli(['import-cog', '--image', `${registry.host}/acme/cog-llm:1.0`, '--platform', 'linux/arm64', '--registry-username', USER], registryEnv())
    expect(arm.code, arm.stderr).toBe(0)
    expect(arm.stdout).toBe(await converted('pydantic-v2'))
  })

  it('CLI validate with --image checks the file against the image too', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-'))
    await writeFile(path.join(dir, 'schemas.json'), await edited((s) => void (s.prediction.input.properties.num_outputs!.maximum = 8)))
    const run = await runCliBundle(
      ['validate', '--schemas', 'schemas.json', '--image', `${registry.host}/acme/cog-sdxl:1.0`, '--registry-username', USER],
      { HOME: tmpdir(), ...registryEnv() },
      dir,
    )
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n').filter((l) => l.includes('[schema-drift]'))).toHaveLength(1)
    expect(run.stdout).toContain('error[schema-drift]: input "num_outputs": "maximum" 8 → 4 (schemas.json → the image)')
    const off = await runCliBundle(
      ['validate', '--schemas', 'schemas.json', '--image', `${registry.host}/acme/cog-sdxl:1.0`, '--registry-username', USER, '--drift-check', 'off'],
      { HOME: tmpdir(), ...registryEnv() },
      dir,
    )
    expect(off.code, off.stdout + off.stderr).toBe(0)
  })

  it('import-cog --image of an image without the label fails with one line naming the label', async () => {
    const run = await cli(['import-cog', '--image', `${registry.host}/acme/single:1.0`, '--registry-username', USER], registryEnv())
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`wriftai-publish: ${registry.host}/acme/single@${pushed.single} has no "run.cog.openapi_schema" label, so it is not an image Cog built\n`)
  })

  it('publishes with schemas-from: image exactly the converted schemas and the image digest', async () => {
    const run = await publish({ image: `${registry.host}/acme/cog-sdxl:1.0`, 'schemas-from': 'image' })
    expect(run.code, run.stdout).toBe(0)
    const [version] = sandbox.models.get('acme/sdxl')!.versions
    expect(version!.container_image_digest).toBe(pushed.cogSingle)
    expect(version!.schemas).toEqual(JSON.parse(await converted('pydantic-v1')))
    expect(run.summary).toContain("| Schemas | the Cog schema in the image's `run.cog.openapi_schema` label (Cog 0.9.6) |")
  })

  it('fails a drifted schemas file before any write, with schema-drift annotations on its lines', async () => {
    const file = await edited((s) => {
      s.prediction.input.properties.num_outputs!.maximum = 8
      delete s.prediction.input.properties.seed
    })
    const run = await publish({ image: `${registry.host}/acme/cog-sdxl:1.0` }, { 'schemas.json': file })
    expect(run.code).toBe(1)
    expect(sandbox.writes()).toEqual([])
    const drift = run.stdout.split('\n').filter((l) => l.includes('title=schema-drift'))
    expect(drift).toEqual([
      `::error title=schema-drift,file=schemas.json,line=${lineOf(file, '"properties"')},col=7::input "seed" was removed; callers that send it are not refused, but what they send is now ignored (the image → schemas.json)`,
      `::error title=schema-drift,file=schemas.json,line=${lineOf(file, '"maximum": 8')},col=11::input "num_outputs": "maximum" 8 → 4 (schemas.json → the image); "maximum" is 8 in schemas.json and 4 in the image; e.g. {"num_outputs":8} is accepted by schemas.json and rejected by the image`,
    ])
    expect(run.summary).toContain("| Schemas | `schemas.json`, checked against the image's Cog schema (Cog 0.9.6) |")
  })

  it('finds an enum value the file removed behind the pydantic v1 allOf wrapper (sdxl DDIM)', async () => {
    const file = await edited((s) => {
      const defs = (s.prediction.input as unknown as { $defs: Record<string, { enum: string[] }> }).$defs
      defs.scheduler!.enum = defs.scheduler!.enum.filter((v) => v !== 'DDIM')
    })
    const run = await publish({ image: `${registry.host}/acme/cog-sdxl:1.0` }, { 'schemas.json': file })
    expect(run.code).toBe(1)
    expect(sandbox.writes()).toEqual([])
    expect(run.stdout.split('\n').filter((l) => l.includes('title=schema-drift'))).toEqual([
      `::error title=schema-drift,file=schemas.json,line=${lineOf(file, '"DPMSolverMultistep"') - 1},col=11::input "scheduler" no longer accepts "DDIM" (the image → schemas.json); "enum" is ["DPMSolverMultistep","K_EULER","PNDM"] in schemas.json and ["DDIM","DPMSolverMultistep","K_EULER","PNDM"] in the image; e.g. {"scheduler":"DDIM"} is accepted by the image and rejected by schemas.json`,
    ])
  })

  it('publishes a file that differs from the image only in descriptions', async () => {
    const file = await edited((s) => {
      s.prediction.input.properties.prompt!.description = 'What to draw'
      s.prediction.input.properties.prompt!.title = 'Your prompt'
    })
    const run = await publish({ image: `${registry.host}/acme/cog-sdxl:1.0` }, { 'schemas.json': file })
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).not.toContain('schema-drift')
    expect(sandbox.models.get('acme/sdxl')!.versions[0]!.schemas).toEqual(JSON.parse(file))
  })

  it('with drift-check: warning, publishes and warns', async () => {
    const file = await edited((s) => {
      s.prediction.input.properties.num_outputs!.maximum = 8
    })
    const run = await publish({ image: `${registry.host}/acme/cog-sdxl:1.0`, 'drift-check': 'warning' }, { 'schemas.json': file })
    expect(run.code, run.stdout).toBe(0)
    expect(
      run.stdout
        .split('\n')
        .filter((l) => l.includes('title=schema-drift'))
        .map((l) => l.split(',')[0]),
    ).toEqual(['::warning title=schema-drift'])
    expect(sandbox.models.get('acme/sdxl')!.versions[0]!.schemas).toEqual(JSON.parse(file))
  })

  it('publishes the digest, with a warning, when the image config cannot be picked for the comparison', async () => {
    const file = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
    const run = await publish({ image: `${registry.host}/acme/armonly:1.0` }, { 'schemas.json': file })
    expect(run.code, run.stdout).toBe(0)
    expect(sandbox.models.get('acme/sdxl')!.versions[0]!.container_image_digest).toBe(pushed.armOnly)
    expect(run.stdout).toContain(
      `::warning::the schemas file was not compared with the image: its config could not be read: ${registry.host}/acme/armonly@${pushed.armOnly} has no linux/amd64 image; it has linux/arm64, linux/arm`,
    )
    expect(run.summary).toContain('| Schemas | `schemas.json`, not checked against the image (it could not be read) |')
  })

  it('publishes the file as before when the image is not a Cog image', async () => {
    const file = await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8')
    const run = await publish({ image: `${registry.host}/acme/single:1.0` }, { 'schemas.json': file })
    expect(run.code, run.stdout).toBe(0)
    expect(sandbox.models.get('acme/sdxl')!.versions[0]!.schemas).toEqual(JSON.parse(file))
    expect(run.summary).toContain('| Schemas | `schemas.json`, not checked against the image (not a Cog image) |')
    expect(run.stdout).toContain('::debug::')
  })
})
