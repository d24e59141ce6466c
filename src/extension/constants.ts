// Facts about the extension itself, from manifest.json (the single source of key and version;
// ChurchTools does not tell the extension its key at run time).
import manifest from '../../manifest.json';

export const EXTENSION_KEY: string = manifest.key;
export const EXTENSION_VERSION: string = manifest.version;
export const EXTENSION_NAME: string = manifest.name;
/** Class on the app's root element; every style of the extension is scoped under it. */
export const ROOT_CLASS = 'optigem-sync';
