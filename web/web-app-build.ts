/** What `buildWebApp` takes and gives back; on its own so the build's helpers can name it without importing the build. */

export interface BuildWebAppOptions {
  /** Where the app goes; `index.html` at its root, hashed files under `assets/`. Default `web/dist`. */
  outDir?: string;
  /** Default true; false keeps names readable when debugging a build. */
  minify?: boolean;
}

export interface BuiltWebApp {
  /** Absolute path of the folder served at `/`. */
  outDir: string;
  /** Absolute path of the written index.html (the answer for every app path). */
  indexHtml: string;
  /** URL path of the entry module, e.g. `/assets/main-3KQ2.js`. */
  entryScript: string;
  /** URL paths of every JavaScript file (the entry, shared chunks and lazily loaded pages). */
  scripts: string[];
  /** URL paths of the style sheets. */
  styles: string[];
}
