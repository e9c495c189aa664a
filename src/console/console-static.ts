// The console's browser files: its own page, script and style (copied to dist/src/console/ui by
// the build), and the UI and chart libraries served from their installed npm packages (preact,
// htm, uPlot), so nothing is fetched from the network. Only the names below are served.
import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function packageFile(specifier: string, relative: string): string {
  // require.resolve finds the package's main file; the files served sit beside it.
  return path.join(path.dirname(require.resolve(specifier)), relative);
}

/** URL path → file on disk, resolved once. */
export function staticFiles(): Map<string, string> {
  const ui = path.join(__dirname, 'ui');
  return new Map([
    ['/', path.join(ui, 'index.html')],
    ['/ui/app.js', path.join(ui, 'app.js')],
    ['/ui/pages.js', path.join(ui, 'pages.js')],
    ['/ui/message-pages.js', path.join(ui, 'message-pages.js')],
    ['/ui/console.css', path.join(ui, 'console.css')],
    ['/vendor/preact.mjs', packageFile('preact', 'preact.module.js')],
    ['/vendor/hooks.mjs', path.join(path.dirname(require.resolve('preact/hooks')), 'hooks.module.js')],
    ['/vendor/htm.mjs', packageFile('htm', 'htm.module.js')],
    ['/vendor/uPlot.esm.js', packageFile('uplot', 'uPlot.esm.js')],
    ['/vendor/uPlot.min.css', packageFile('uplot', 'uPlot.min.css')],
  ]);
}

export function contentType(file: string): string {
  return TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/** The file's bytes, read once and kept (the files are small and do not change while running). */
export class StaticCache {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly files: Map<string, string>) {}

  get(urlPath: string): { body: Buffer; type: string } | undefined {
    const file = this.files.get(urlPath);
    if (file === undefined) return undefined;
    let body = this.cache.get(file);
    if (body === undefined) {
      body = fs.readFileSync(file);
      this.cache.set(file, body);
    }
    return { body, type: contentType(file) };
  }
}
