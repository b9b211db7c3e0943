import { execFile } from 'node:child_process'
import { realpathSync } from 'node:fs'
import path from 'node:path'
import { errorMessage } from '../errors.js'
import type { BaselineSource } from '../pipeline/baseline.js'
import { githubRest } from './rest.js'
import type { RunContext } from '../pipeline/context.js'

/** A schemas file at a ref is read up to the limit of any schemas file. */
const MAX_BYTES = 10 * 1024 * 1024

function git(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: MAX_BYTES + 1024, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code as number) : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/**
 * Reads the schemas file at a ref from the checkout's git repository. `actions/checkout` leaves a
 * one-commit shallow clone: a ref it lacks is fetched alone (`git fetch --depth=1 origin REF`, with
 * the credentials checkout persisted). Where git cannot, GitHub's contents API answers with
 * `github-token`. A file missing at the ref is undefined: nothing to compare.
 */
export function gitBaselineSource(context: RunContext, githubToken: string | undefined): BaselineSource {
  return {
    async readAt(ref, file) {
      const local = path.resolve(context.workspace ?? process.cwd(), file)
      const dir = path.dirname(local)
      const top = await git(['rev-parse', '--show-toplevel'], dir)
      if (top.code !== 0) {
        // No repository here (a checkout without git): the file's place in the workspace is its place in the repository.
        const inWorkspace = path
          .relative(path.resolve(context.workspace ?? process.cwd()), local)
          .split(path.sep)
          .join('/')
        return viaApi(context, githubToken, ref, inWorkspace.startsWith('..') ? undefined : inWorkspace, 'the workspace is not a git repository')
      }
      const root = realpathSync(top.stdout.trim())
      const repoPath = path.relative(root, realpathSync(dir)).split(path.sep).concat(path.basename(local)).filter(Boolean).join('/')
      if (repoPath.startsWith('..')) throw new Error(`${file} is outside the repository`)
      const commit = (name: string) => git(['rev-parse', '--verify', '--quiet', `${name}^{commit}`], root)
      let target = ref
      if ((await commit(ref)).code !== 0) {
        const fetched = await git(['fetch', '--no-tags', '--depth=1', 'origin', ref], root)
        if (fetched.code !== 0) return viaApi(context, githubToken, ref, repoPath, `git fetch failed: ${fetched.stderr.trim().split('\n').at(-1) ?? ''}`)
        if ((await commit(ref)).code !== 0) target = 'FETCH_HEAD'
      }
      const exists = await git(['cat-file', '-e', `${target}:${repoPath}`], root)
      if (exists.code !== 0) return undefined
      const shown = await git(['show', `${target}:${repoPath}`], root)
      if (shown.code !== 0) throw new Error(`git show ${ref}:${repoPath} failed: ${shown.stderr.trim()}`)
      return shown.stdout
    },
  }
}

/** The file at a ref through GitHub's contents API, where git could not read it. */
async function viaApi(context: RunContext, githubToken: string | undefined, ref: string, repoPath: string | undefined, why: string): Promise<string | undefined> {
  if (!githubToken || !context.repository || repoPath === undefined) throw new Error(why)
  const [owner, repo] = context.repository.split('/') as [string, string]
  try {
    const octokit = await githubRest(context, githubToken)
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path: repoPath, ref, mediaType: { format: 'raw' } })
    // Raw contents come back as text, or as bytes where the answer names no charset.
    const raw = data as unknown
    const text = typeof raw === 'string' ? raw : raw instanceof ArrayBuffer ? Buffer.from(raw).toString('utf8') : ''
    if (text.length > MAX_BYTES) throw new Error(`${repoPath} at ${ref} is larger than 10 MB`)
    return text
  } catch (error: unknown) {
    if ((error as { status?: number }).status === 404) return undefined
    throw new Error(`${why}; the contents API answered: ${errorMessage(error).split('\n')[0]}`)
  }
}

/**
 * The repository's tag names, for the previous release of a version tag: from the remote the
 * checkout came from (`git ls-remote --tags`, names only, no objects fetched), else the local
 * tags, else GitHub's tags API with `github-token`.
 */
export function gitReleaseTags(context: RunContext, githubToken: string | undefined): () => Promise<string[]> {
  return async () => {
    const dir = path.resolve(context.workspace ?? process.cwd())
    const remote = await git(['ls-remote', '--tags', '--refs', 'origin'], dir)
    if (remote.code === 0) return remote.stdout.split('\n').flatMap((line) => (line.includes('\trefs/tags/') ? [line.split('\trefs/tags/')[1]!] : []))
    const local = await git(['tag', '--list'], dir)
    const tags = local.code === 0 ? local.stdout.split('\n').filter(Boolean) : []
    if (tags.length > 1 || !githubToken || !context.repository) return tags
    const [owner, repo] = context.repository.split('/') as [string, string]
    const octokit = await githubRest(context, githubToken)
    const names: string[] = []
    for (let page = 1; page <= 10; page++) {
      const { data } = await octokit.rest.repos.listTags({ owner, repo, per_page: 100, page })
      names.push(...data.map((t) => t.name))
      if (data.length < 100) break
    }
    return names
  }
}
