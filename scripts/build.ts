// Bundles the action and the CLI with ncc into the folder given (default dist/).
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import ncc from '@vercel/ncc'

const root = path.resolve(import.meta.dirname, '..')
const out = path.resolve(root, process.argv[2] ?? 'dist')

const entries = [
  { entry: 'src/index.ts', file: 'index.js', license: 'licenses.txt' },
  { entry: 'src/cli.ts', file: 'cli.js' },
]

await rm(out, { recursive: true, force: true })
await mkdir(out, { recursive: true })
for (const { entry, file, license } of entries) {
  const { code, assets } = await ncc(path.join(root, entry), {
    minify: false,
    quiet: true,
    sourceMap: false,
    target: 'es2023',
    ...(license && { license }),
  })
  const target = path.join(out, file)
  await writeFile(target, code)
  if (code.startsWith('#!')) await chmod(target, 0o755)
  if (license && assets[license]) await writeFile(path.join(out, license), assets[license].source)
}
