// Fails when the committed dist/ differs from a fresh build of the sources.
import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const committed = path.join(root, 'dist')
const fresh = await mkdtemp(path.join(tmpdir(), 'check-dist-'))

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
}

try {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.ts'), fresh], { stdio: 'inherit' })
  const names = new Set([...(await files(committed)), ...(await files(fresh))])
  const stale: string[] = []
  for (const name of [...names].sort()) {
    const [a, b] = await Promise.all([readFile(path.join(committed, name)).catch(() => null), readFile(path.join(fresh, name)).catch(() => null)])
    if (a === null || b === null || !a.equals(b)) stale.push(a === null ? `${name} (missing from dist/)` : b === null ? `${name} (not built any more)` : name)
  }
  if (stale.length > 0) {
    console.error(`dist/ is stale: ${stale.join(', ')}. Run npm run build and commit dist/.`)
    process.exitCode = 1
  } else {
    console.log(`dist/ matches a fresh build (${names.size} files)`)
  }
} finally {
  await rm(fresh, { recursive: true, force: true })
}
