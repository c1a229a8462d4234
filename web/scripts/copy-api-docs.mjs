// Puts the interactive API docs into dist/api-docs: our page and init script, plus Swagger UI's
// files from the swagger-ui-dist package, so nothing is loaded from a CDN at run time.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'api-docs');
const swagger = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
mkdirSync(out, { recursive: true });
for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js']) {
  copyFileSync(join(swagger, file), join(out, file));
}
for (const file of ['index.html', 'swagger-init.js']) {
  copyFileSync(join(here, '..', 'public-api-docs', file), join(out, file));
}
console.log(`API docs written to ${out}`);
