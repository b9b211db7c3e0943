import { run } from './main.js'

// No top-level await: the bundle is CommonJS, which starts faster than an ES module (scripts/build.ts).
void run()
