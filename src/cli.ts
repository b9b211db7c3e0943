#!/usr/bin/env node
// Source maps for debug runs, before the rest of the bundle loads (see src/index.ts).
if (process.env.RUNNER_DEBUG === '1') process.setSourceMapsEnabled(true)

void import('./cli/run.js').then(({ runCli }) => runCli(process.argv.slice(2))).then((code) => (process.exitCode = code))
