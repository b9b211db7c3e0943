import type { ModelId } from '../wriftai/identifier.js'

/** The web page of a model version, on the site that serves the API (api.wrift.ai → wrift.ai). */
export function versionPageUrl(apiUrl: URL, model: ModelId, number: number): string {
  const host = apiUrl.host.replace(/^api\./, '')
  return `${apiUrl.protocol}//${host}/${encodeURIComponent(model.owner)}/${encodeURIComponent(model.name)}/versions/${number}`
}
