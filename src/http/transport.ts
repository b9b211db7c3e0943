// The two parts of undici the clients use: its connection pool (Agent) and its request API.
// undici's entry module also loads fetch, WebSocket, caches and mocks, 700 KB that every publish
// would parse before its first request; these modules are the same code without the rest.
import { setFlagsFromString } from 'node:v8'
import Agent from 'undici/lib/dispatcher/agent.js'
import request from 'undici/lib/api/api-request.js'
import type { Dispatcher } from 'undici'

// undici parses HTTP/1 with llhttp, in WebAssembly. Once a few registry answers have made its
// functions hot, V8 recompiles them with TurboFan on a background thread, and a process that is done
// waits for that before it exits: 60-80 ms after a publish that resolves an image, for code that
// would not run again. A tiering budget this large leaves llhttp in V8's baseline compiler.
setFlagsFromString('--wasm-tiering-budget=1000000000')

export function createAgent(options: Agent.Options): Dispatcher {
  return new Agent(options)
}

export type TransportOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'>

/** What undici's `request(url, options)` does, on a given dispatcher. */
export function dispatchRequest(dispatcher: Dispatcher, url: URL, options: TransportOptions): Promise<Dispatcher.ResponseData> {
  return request.call(dispatcher, { ...options, origin: url.origin, path: `${url.pathname}${url.search}` })
}
