/** The product version; a unit test keeps it equal to package.json. */
export const VERSION = '1.0.0'
export const USER_AGENT = `wriftai-publish-version/${VERSION}`
