// Build step: the web console's browser files (src/console/ui/*) are not TypeScript, so tsc does
// not emit them; copy them beside the compiled console (dist/src/console/ui/), which serves them.
import fs from 'node:fs';
import path from 'node:path';

const from = path.join('src', 'console', 'ui');
const to = path.join('dist', 'src', 'console', 'ui');
fs.mkdirSync(to, { recursive: true });
for (const name of fs.readdirSync(from)) fs.copyFileSync(path.join(from, name), path.join(to, name));
