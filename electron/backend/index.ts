/**
 * What Electron main may know of the engine: where the library lives. main is OS glue; it starts the backend
 * process (electron/utility) by path and never touches SQL or feed logic, and a dependency-cruiser rule keeps it
 * to this file. Nothing here may pull in native modules: main's bundle runs on Electron's ABI.
 */
export { resolveLibraryPath } from './library-path';
