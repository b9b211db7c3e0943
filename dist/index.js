process.env.RUNNER_DEBUG===`1`&&process.setSourceMapsEnabled(!0),Promise.resolve().then(()=>require("./chunks/main.js")).then(({run:e})=>e());
//# sourceMappingURL=index.js.map