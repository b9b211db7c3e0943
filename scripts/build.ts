// Bundles the action into dist/ and the CLI into dist/cli/ with ncc, each with the chunks it loads
// on demand, and writes dist/cli.js, the CLI's entry. Usage: node scripts/build.ts [OUT]
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import ncc from '@vercel/ncc'
import { minify } from 'terser'

const root = path.resolve(import.meta.dirname, '..')
const out = path.resolve(root, process.argv[2] ?? 'dist')

// Each bundle gets a folder of its own: ncc names on-demand chunks alike in every build.
const bundles = [
  { entry: 'src/index.ts', dir: '.', license: 'licenses.txt' },
  { entry: 'src/cli.ts', dir: 'cli' },
]

await rm(out, { recursive: true, force: true })
for (const { entry, dir, license } of bundles) {
  const target = path.join(out, dir)
  await mkdir(target, { recursive: true })
  const { code, assets } = await ncc(path.join(root, entry), {
    minify: true,
    quiet: true,
    sourceMap: false,
    target: 'es2023',
    ...(license && { license }),
  })
  await writeFile(path.join(target, 'index.js'), code)
  for (const [name, asset] of Object.entries(assets)) {
    // The root package.json already says "type": "module".
    if (name === 'package.json') continue
    // ncc minifies the entry only; its on-demand chunks are parsed at run time too.
    const source = name.endsWith('.js') ? (await minify(asset.source.toString(), { module: false, ecma: 2020 })).code! : asset.source
    await writeFile(path.join(target, name), source)
  }
}
const cli = path.join(out, 'cli.js')
await writeFile(cli, "#!/usr/bin/env node\nimport './cli/index.js'\n")
await chmod(cli, 0o755)
