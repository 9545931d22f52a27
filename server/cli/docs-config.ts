/** `npm run docs:config`: writes docs/configuration.md from the configuration schema. */
import { writeFile } from 'node:fs/promises';
import { renderConfigurationPage } from '../config/config-docs.ts';

const target = new URL('../../docs/configuration.md', import.meta.url);
await writeFile(target, await renderConfigurationPage());
console.log('wrote docs/configuration.md');
