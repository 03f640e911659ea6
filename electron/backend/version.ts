/** Kept in step with package.json by a test, so the engine does not read package.json at run time. */
export const ENGINE_VERSION = '0.1.0';
