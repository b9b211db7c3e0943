declare module '@vercel/ncc' {
  interface NccOptions {
    minify?: boolean
    quiet?: boolean
    sourceMap?: boolean
    target?: string
    license?: string
  }
  interface NccOutput {
    code: string
    assets: Record<string, { source: string | Buffer }>
  }
  export default function ncc(entry: string, options?: NccOptions): Promise<NccOutput>
}
