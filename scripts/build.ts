// Bundles the action (src/index.ts → dist/index.js) and the CLI (src/cli.ts → dist/cli.js) with
// rolldown, sharing code in dist/chunks/, and writes dist/licenses.txt. Usage: node scripts/build.ts [OUT]
// The bundle is CommonJS (dist/package.json says so): Node loads it about 10 ms sooner than the same
// code as ES modules, which pay for the module loader and a namespace object per built-in module.
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { build } from 'rolldown'

const root = path.resolve(import.meta.dirname, '..')
const out = path.resolve(root, process.argv[2] ?? 'dist')

// The toolkit packages' modules only declare functions, classes and enums, but no bundler can prove
// it: without this, importing @actions/core would load its OIDC client, an HTTP stack and undici
// (40 ms on every start) although nothing calls it.
const DECLARATIONS_ONLY = /[\\/]node_modules[\\/]@actions[\\/](core|exec|http-client|io)[\\/]/

// Named chunks, so that what a run loads can be told from the file names (test/integration/lazy-loading).
const CHUNKS = [
  {
    name: 'octokit',
    test: /[\\/]node_modules[\\/](@octokit|@actions[\\/]github|before-after-hook|universal-user-agent|fast-content-type-parse|json-with-bigint|content-type)[\\/]/,
  },
  { name: 'undici', test: /[\\/]node_modules[\\/]undici[\\/]/ },
  { name: 'exec', test: /[\\/]node_modules[\\/]@actions[\\/](exec|io)[\\/]/ },
  { name: 're2', test: /[\\/]node_modules[\\/]re2js[\\/]/ },
  // The schemas check in one chunk: a validate run loads it whole, and one file loads sooner than five.
  {
    name: 'check',
    test: /[\\/]src[\\/]schemas[\\/](?!diff[\\/])|[\\/]node_modules[\\/](ajv|@humanwhocodes|fast-deep-equal|fast-uri|json-schema-traverse|require-from-string)[\\/]/,
  },
]

await rm(out, { recursive: true, force: true })
const { output } = await build({
  cwd: root,
  input: { index: 'src/index.ts', cli: 'src/cli.ts' },
  platform: 'node',
  logLevel: 'warn',
  treeshake: { moduleSideEffects: (id) => !DECLARATIONS_ONLY.test(id) },
  output: {
    dir: out,
    format: 'cjs',
    minify: true,
    // Maps for debug runs' stack traces (the entry points enable them only then); the sources they
    // name are in the action's repository, so their text is not copied into the maps.
    sourcemap: true,
    sourcemapExcludeSources: true,
    // Source paths as seen from dist/, wherever this build is written (check-dist builds elsewhere).
    sourcemapPathTransform: (source, map) =>
      path
        .relative(path.join(root, 'dist', path.relative(out, path.dirname(map))), path.resolve(path.dirname(map), source))
        .split(path.sep)
        .join('/'),
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    codeSplitting: { groups: CHUNKS },
  },
})
await chmod(path.join(out, 'cli.js'), 0o755)
await writeFile(path.join(out, 'package.json'), '{ "type": "commonjs" }\n')
await writeFile(path.join(out, 'licenses.txt'), await licenses(output.flatMap((file) => (file.type === 'chunk' ? file.moduleIds : []))))

/** The name, license and license text of every package with code in the bundle. */
async function licenses(moduleIds: string[]): Promise<string> {
  const packageDirs = new Set<string>()
  for (const id of moduleIds) {
    const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(id)
    if (match) packageDirs.add(match[1]!)
  }
  const entries: string[] = []
  for (const dir of packageDirs) {
    const { name, license } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { name: string; license?: string }
    const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)/i.test(f))
    const text = file ? (await readFile(path.join(dir, file), 'utf8')).trim() : ''
    entries.push(`${name}\n${license ?? 'UNKNOWN'}\n${text}`)
  }
  return `${[...new Set(entries)].sort().join('\n\n')}\n`
}
