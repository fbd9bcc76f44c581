// ESLint flat config for the monorepo: ESLint's recommended rules, typescript-eslint's recommended
// rules plus the type-aware ones that catch real bugs (floating promises, non-exhaustive switches),
// and the package boundaries: code crosses from one app or lib to another only through a lib's
// public entry `@scholarpay/<lib>`. Formatting is Prettier's job, not ESLint's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

/** ESLint's own recommended rules (what @eslint/js's `recommended` holds), read from the rule metadata. */
const eslintRecommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

/** `apps/<name>` or `libs/<name>` for a file inside one, else null (infra/, test/, root files). */
function packageOf(file) {
  const relative = path.relative(root, file).split(path.sep);
  return (relative[0] === 'apps' || relative[0] === 'libs') && relative.length > 2
    ? `${relative[0]}/${relative[1]}`
    : null;
}

/**
 * A relative import may not climb out of its own app or lib into another (`../../libs/money/src`,
 * `../../../apps/payments/src/...`): other libs are imported as `@scholarpay/<lib>`, and apps are
 * never imported by apps or libs. Outside apps/ and libs/ (infra/ scripts, test/), importing an
 * app's files is allowed (a test starts an app), but libs still go through their alias.
 */
const noCrossPackageRelativeImport = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid relative imports that cross an app or lib boundary' },
    schema: [],
    messages: {
      intoLib:
        'Import {{target}} through its public entry "@scholarpay/{{lib}}", not a relative path into its files ("{{source}}").',
      selfAlias:
        '{{from}} must not import itself through "{{source}}" (a cycle through its own index): use a relative path.',
      intoApp:
        '{{from}} must not import files of {{target}} ("{{source}}"): apps talk through events or HTTP, and libs never import apps.',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = packageOf(file);
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      // Specs and test helpers may use their own lib's public entry, as its users do.
      const isTestCode = /\.(int-|e2e-)?spec\.ts$/.test(file) || file.split(path.sep).includes('test');
      if (
        !isTestCode &&
        from?.startsWith('libs/') &&
        source === `@scholarpay/${from.slice('libs/'.length)}`
      ) {
        context.report({ node, messageId: 'selfAlias', data: { from, source } });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = packageOf(path.resolve(path.dirname(file), source));
      if (target === null || target === from) return;
      const [kind, name] = target.split('/');
      if (kind === 'libs') {
        context.report({ node, messageId: 'intoLib', data: { target, lib: name, source } });
      } else if (from !== null) {
        context.report({ node, messageId: 'intoApp', data: { from, target, source } });
      }
    };
    const literal = (node) => (node && node.type === 'Literal' ? node.value : undefined);
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, literal(node.source)),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node, literal(node.moduleReference.expression)),
      CallExpression: (node) => {
        const callee = node.callee;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isJestModuleCall =
          callee.type === 'MemberExpression' &&
          callee.object.type === 'Identifier' &&
          callee.object.name === 'jest' &&
          callee.property.type === 'Identifier' &&
          ['mock', 'requireActual', 'doMock', 'unmock'].includes(callee.property.name);
        if (isRequire || isJestModuleCall) check(node, literal(node.arguments[0]));
      },
    };
  },
};

const deepImportPatterns = [
  {
    group: ['@scholarpay/*/**'],
    message:
      'Import a lib only through its public entry "@scholarpay/<lib>"; export what you need from its index.ts.',
  },
  {
    group: ['libs/*', 'libs/*/**', 'apps/*', 'apps/*/**'],
    message: 'Import libs as "@scholarpay/<lib>"; never by a path from the repository root (baseUrl).',
  },
];

const nodeGlobals = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'URL',
    'fetch',
    'AbortSignal',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '**/.data/**', 'coverage/**', '**/coverage/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
  },
  // Plain JavaScript at the root (jest.config.js, this file): ESLint's recommended rules only.
  {
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: nodeGlobals },
    rules: eslintRecommended,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  // TypeScript everywhere, with type information from tsconfig.json through the project service.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { scholarpay: { rules: { 'no-cross-package-relative-import': noCrossPackageRelativeImport } } },
    rules: {
      ...eslintRecommended,
      // TypeScript checks these itself (and better): see typescript-eslint's eslint-recommended.
      ...tseslint.configs.eslintRecommended.rules,
      'no-undef': 'off',
      'no-redeclare': 'off',
      'no-dupe-class-members': 'off',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `any` is sometimes the honest type (a handler map over every event type); flag it, do not fail.
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
      // Reports values assigned inside try/catch and used after it (false positives on ordinary code).
      'no-useless-assignment': 'off',
      // Type-aware rules that catch real bugs: a promise nobody awaits loses its error (and in a
      // payment flow, maybe the money); a switch that forgets a state silently does nothing.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // Package boundaries.
      'no-restricted-imports': ['error', { patterns: deepImportPatterns }],
      'scholarpay/no-cross-package-relative-import': 'error',
    },
  },
  // Tests and benchmarks: non-null assertions on values the test just created are fine.
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
