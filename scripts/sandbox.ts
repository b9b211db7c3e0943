// Starts the sandbox WriftAI API (test/sandbox/server.ts) on 127.0.0.1 for a workflow's self-test:
// prints WRIFTAI_API_URL and WRIFTAI_SANDBOX_TOKEN as KEY=value lines (ready for $GITHUB_ENV) and
// serves until it is stopped. Usage: npm run --silent sandbox
import { startSandbox } from '../test/sandbox/server.ts'

const sandbox = await startSandbox()
process.stdout.write(`WRIFTAI_API_URL=${sandbox.url}\nWRIFTAI_SANDBOX_TOKEN=${sandbox.users[0]!.token}\n`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void sandbox.close().then(() => process.exit(0)))
