import { accessSync, constants, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'
import type { ExecOutput } from '@actions/exec'
import { UserError } from '../errors.js'

export interface RegistryCredentials {
  username: string
  /** A password or personal access token. */
  password?: string
  /** An OAuth2 refresh token, from a credential helper's `<token>` user or `identitytoken`. */
  identityToken?: string
  /** Where they came from, for messages (never the secret itself). */
  source: string
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>
  credHelpers?: Record<string, string>
  credsStore?: string
}

const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io']

/**
 * Credentials for `registry`, in order: the explicit inputs, then the Docker config
 * (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`): `credHelpers[registry]`,
 * `credsStore`, then `auths`. What docker/login-action leaves behind is found this way.
 */
export async function findCredentials(
  registry: string,
  explicit: { username?: string; password?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<RegistryCredentials | undefined> {
  if (explicit.username && explicit.password) return { username: explicit.username, password: explicit.password, source: 'registry-username/registry-password' }

  const file = path.join(env.DOCKER_CONFIG || path.join(env.HOME || homedir(), '.docker'), 'config.json')
  let config: DockerConfig
  try {
    config = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig
  } catch (error: unknown) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw new UserError(`cannot read the Docker config ${file}: ${(error as Error).message}`)
  }

  const keys = registry === 'docker.io' ? DOCKER_HUB_KEYS : [registry]
  const helper = keys.map((key) => config.credHelpers?.[key]).find(Boolean) ?? config.credsStore
  if (helper) {
    const fromHelper = await askHelper(helper, registry === 'docker.io' ? DOCKER_HUB_KEYS[0]! : registry, env)
    if (fromHelper) return fromHelper
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (normalizeServer(key) !== registry.toLowerCase()) continue
    const decoded = entry.auth ? Buffer.from(entry.auth, 'base64').toString('utf8') : undefined
    const colon = decoded?.indexOf(':') ?? -1
    const username = decoded && colon > 0 ? decoded.slice(0, colon) : entry.username
    const password = decoded && colon > 0 ? decoded.slice(colon + 1) : entry.password
    if (entry.identitytoken) return { username: username ?? '<token>', identityToken: entry.identitytoken, source: `${file} (auths)` }
    if (username && password) return { username, password, source: `${file} (auths)` }
  }
  return undefined
}

/** `https://ghcr.io/v2/` and `GHCR.IO` name the same server as `ghcr.io`. */
export function normalizeServer(key: string): string {
  const bare = key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase()
  return DOCKER_HUB_KEYS.includes(bare) ? 'docker.io' : bare
}

async function askHelper(name: string, server: string, env: NodeJS.ProcessEnv): Promise<RegistryCredentials | undefined> {
  // A name with a slash would be run from the working directory: the repository a pull request controls.
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
    throw new UserError(`the Docker config names the credential helper "${name.slice(0, 100)}", which is not a bare name ([A-Za-z0-9._-]); refusing to run it`)
  }
  const program = `docker-credential-${name}`
  const found = onPath(program, env.PATH ?? process.env.PATH ?? '')
  if (!found) throw new UserError(`the Docker config names the credential helper "${name}", but ${program} is not on PATH`)
  let result: ExecOutput
  try {
    // child_process and @actions/io are loaded only for a config that names a helper.
    const { getExecOutput } = await import('@actions/exec')
    result = await getExecOutput(found, ['get'], { input: Buffer.from(server), silent: true, ignoreReturnCode: true })
  } catch (error: unknown) {
    throw new UserError(`the Docker config names the credential helper "${name}", but ${program} could not run: ${(error as Error).message}`)
  }
  if (result.exitCode !== 0) {
    if (/credentials not found/i.test(result.stdout + result.stderr)) return undefined
    throw new UserError(`${program} get failed for ${server} (exit code ${result.exitCode})`)
  }
  let answer: { Username?: string; Secret?: string }
  try {
    answer = JSON.parse(result.stdout) as { Username?: string; Secret?: string }
  } catch {
    throw new UserError(`${program} get answered something other than JSON for ${server}`)
  }
  if (!answer.Secret) return undefined
  if (answer.Username === '<token>') return { username: '<token>', identityToken: answer.Secret, source: program }
  return { username: answer.Username ?? '', password: answer.Secret, source: program }
}

/** The executable file `program` in PATH's absolute folders; a relative entry ("", ".") would be the working directory. */
function onPath(program: string, pathVariable: string): string | undefined {
  for (const folder of pathVariable.split(path.delimiter)) {
    if (!path.isAbsolute(folder)) continue
    const candidate = path.join(folder, program)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // Not here: the next folder.
    }
  }
  return undefined
}
