// Types of digestJson.mjs (plain JavaScript: the build script imports it).

/** The digest's file in the build folder. */
export declare const DIGEST_JSON: string;

/** The digest as JSON text of ASCII characters only. */
export declare function digestJsonText(digest: unknown): string;

/** The module the build puts in the digest module's place: it reads the JSON beside its chunk. */
export declare function digestModuleSource(): string;
