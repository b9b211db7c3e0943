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

/** The proxy variables a self-hosted runner behind a proxy sets, as curl and undici read them. */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']

/**
 * The connection pool: a plain Agent, or, when a proxy is set in the environment, undici's
 * EnvHttpProxyAgent, which sends http requests to the proxy in absolute form, tunnels https through
 * CONNECT, and honours NO_PROXY. Loaded only then.
 */
export async function createDispatcher(options: Agent.Options, env: NodeJS.ProcessEnv = process.env): Promise<Dispatcher> {
  if (!PROXY_VARIABLES.some((name) => env[name])) return new Agent(options)
  const [{ default: EnvHttpProxyAgent }, { default: Dispatcher }, { default: connect }] = await Promise.all([
    import('undici/lib/dispatcher/env-http-proxy-agent.js'),
    import('undici/lib/dispatcher/dispatcher.js'),
    import('undici/lib/api/api-connect.js'),
  ])
  // A tunnel is opened with dispatcher.connect(), which undici's entry module would have installed.
  ;(Dispatcher.prototype as { connect?: unknown }).connect ??= connect
  return new EnvHttpProxyAgent(options)
}

export type TransportOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'>

/** What undici's `request(url, options)` does, on a given dispatcher. */
export function dispatchRequest(dispatcher: Dispatcher, url: URL, options: TransportOptions): Promise<Dispatcher.ResponseData> {
  return request.call(dispatcher, { ...options, origin: url.origin, path: `${url.pathname}${url.search}` })
}
