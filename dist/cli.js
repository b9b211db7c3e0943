#!/usr/bin/env node
process.env.RUNNER_DEBUG===`1`&&process.setSourceMapsEnabled(!0),Promise.resolve().then(()=>require("./chunks/run.js")).then(({runCli:e})=>e(process.argv.slice(2))).then(e=>process.exitCode=e);
//# sourceMappingURL=cli.js.map