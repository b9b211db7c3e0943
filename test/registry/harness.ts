// Runs the real CNCF registry (Debian's docker-registry) on 127.0.0.1 for tests, anonymous, with
// htpasswd Basic auth, or with token auth backed by the token server in this folder.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startTokenServer, type TokenServer } from './token-server.ts'

export type RegistryAuth = 'anonymous' | 'htpasswd' | 'token'

export const USER = 'ci'
export const PASSWORD = 's3cret-registry-password'
export const SERVICE = 'test-registry'

export function registryAvailable(): boolean {
  return ['docker-registry', 'htpasswd', 'openssl'].every((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0)
}

export interface RunningRegistry {
  /** host:port, e.g. 127.0.0.1:40813 */
  host: string
  auth: RegistryAuth
  tokenServer?: TokenServer
  /** Everything the registry logged (logfmt, one access line per request). */
  log(): string
  stop(): Promise<void>
}

/** A registry over `root` (a folder the tests fill through an anonymous one first). */
export async function startRegistry(root: string, auth: RegistryAuth): Promise<RunningRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), `registry-${auth}-`))
  let authConfig = ''
  let tokenServer: TokenServer | undefined
  if (auth === 'htpasswd') {
    const entry = execFileSync('htpasswd', ['-Bbn', USER, PASSWORD], { encoding: 'utf8' })
    await writeFile(path.join(dir, 'htpasswd'), entry)
    authConfig = `auth:\n  htpasswd:\n    realm: ${SERVICE}\n    path: ${path.join(dir, 'htpasswd')}\n`
  } else if (auth === 'token') {
    const key = path.join(dir, 'signer.key')
    const cert = path.join(dir, 'signer.crt')
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=test-token-signer'],
      { stdio: 'ignore' },
    )
    tokenServer = await startTokenServer({ keyFile: key, certFile: cert, users: { [USER]: PASSWORD }, service: SERVICE })
    authConfig = `auth:\n  token:\n    realm: ${tokenServer.realm}\n    service: ${SERVICE}\n    issuer: ${tokenServer.issuer}\n    rootcertbundle: ${cert}\n`
  }
  const config = path.join(dir, 'config.yml')
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: ${root}\nhttp:\n  addr: 127.0.0.1:0\n  secret: test-only-secret\n${authConfig}`,
  )
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout?.on('data', (c: Buffer) => (log += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()))
  const port = await waitForPort(child, () => log)
  return {
    host: `127.0.0.1:${port}`,
    auth,
    tokenServer,
    log: () => log,
    stop: async () => {
      await stopProcess(child)
      await tokenServer?.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function waitForPort(child: ChildProcess, log: () => string): Promise<number> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const match = /listening on 127\.0\.0\.1:(\d+)/.exec(log())
    if (match) return Number(match[1])
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  child.kill()
  throw new Error(`docker-registry did not start: ${log()}`)
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
