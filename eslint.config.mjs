// The n8n community-node lint config, unchanged, applied to the node pack only. The repository root is
// also home to the memos-lite server, tests, benchmarks and scripts, which are not n8n nodes: they are excluded here
// (that single addition is why package.json sets "strict": false, which otherwise requires this file
// to be byte-identical to the template).
import { globalIgnores } from 'eslint/config';
import { config } from '@n8n/node-cli/eslint';

export default [
	globalIgnores(['server/**', 'test/**', 'scripts/**', 'bench/**', 'workflows/**', 'docs/**', 'coverage/**', '**/*.js', '**/*.mjs']),
	...config,
];
