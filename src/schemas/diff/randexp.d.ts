// Types for randexp, which ships none: the part of its API that the pattern sampler uses.
declare module 'randexp' {
  export default class RandExp {
    constructor(pattern: RegExp | string, flags?: string)
    gen(): string
    randInt: (from: number, to: number) => number
    max: number
  }
}
