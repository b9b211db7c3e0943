// Preloaded with `--import` by test/integration/lazy-loading.itg.test.ts: appends each file the
// bundle loads to the file named by RECORD_LOADS, so a test can tell which chunks a run needed.
import { appendFileSync } from 'node:fs'
import { registerHooks } from 'node:module'

const log = process.env.RECORD_LOADS
if (log) {
  registerHooks({
    load(url, context, nextLoad) {
      if (url.startsWith('file:')) appendFileSync(log, `${url}\n`)
      return nextLoad(url, context)
    },
  })
}
