// With debug logging on (the runner's RUNNER_DEBUG=1, from ACTIONS_STEP_DEBUG), stack traces name the
// TypeScript sources through the bundle's source maps. They must be on before the rest of the bundle
// loads, hence the import below; off otherwise, since reading the maps slows a start.
if (process.env.RUNNER_DEBUG === '1') process.setSourceMapsEnabled(true)

// No top-level await: the bundle is CommonJS, which starts faster than an ES module (scripts/build.ts).
void import('./main.js').then(({ run }) => run())
