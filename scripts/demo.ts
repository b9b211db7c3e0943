// Starts the local sandbox API, publishes examples/schemas.json as a new version of acme/hello-world
// through the committed bundle, prints the outputs and the job summary, and stops the server.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ROOT, runAction, tagPushEnv } from '../test/helpers/run-action.ts'
import { startSandbox } from '../test/sandbox/server.ts'

const EXAMPLE_DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'

const sandbox = await startSandbox()
try {
  const user = sandbox.users[0]!
  console.log(`Sandbox WriftAI API on ${sandbox.url} (user ${user.username})\n`)
  const run = await runAction({
    inputs: {
      token: user.token,
      model: `${user.username}/hello-world`,
      'schemas-file': 'schemas.json',
      'image-digest': EXAMPLE_DIGEST,
      hardware: 'cpu',
      description: 'A small text-generation model',
      'api-url': sandbox.url,
    },
    files: { 'schemas.json': await readFile(path.join(ROOT, 'examples/schemas.json'), 'utf8') },
    env: tagPushEnv('v1.0.0'),
  })
  console.log('--- action log ---')
  process.stdout.write(run.stdout + run.stderr)
  console.log('\n--- outputs ---')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}=${value}`)
  console.log('\n--- job summary (Markdown) ---')
  process.stdout.write(run.summary)
  console.log(`\n--- the sandbox received ${sandbox.requests.length} requests, ${sandbox.writes().length} of them writes ---`)
  for (const request of sandbox.requests) console.log(`${request.method} /v1${request.path}`)
  process.exitCode = run.code ?? 1
} finally {
  await sandbox.close()
}
