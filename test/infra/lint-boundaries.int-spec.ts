/**
 * The package boundaries in eslint.config.mjs, checked on small snippets: imports cross from one
 * app or lib to another only through `@scholarpay/<lib>`; libs never import apps. ESLint's config
 * is an ES module, so the linting runs in a child Node process (Jest runs CommonJS).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface LintCase {
  file: string;
  code: string;
}

/** Rule ids reported for each snippet, linted as if it were the given file of the repository. */
function lint(cases: LintCase[]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({
      cwd: process.cwd(),
      overrideConfig: {
        // The snippets are not on disk, so no type information: only the boundary rules matter here.
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: {
          '@typescript-eslint/no-floating-promises': 'off',
          '@typescript-eslint/no-misused-promises': 'off',
          '@typescript-eslint/await-thenable': 'off',
          '@typescript-eslint/switch-exhaustiveness-check': 'off',
        },
      },
    });
    const cases = JSON.parse(process.env.LINT_CASES);
    const out = [];
    for (const { file, code } of cases) {
      const [result] = await eslint.lintText(code, { filePath: process.cwd() + '/' + file });
      out.push(result.messages.map((message) => message.ruleId ?? 'parse-error: ' + message.message));
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, LINT_CASES: JSON.stringify(cases) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`eslint failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as string[][];
}

const boundary = 'scholarpay/no-cross-package-relative-import';
const deep = 'no-restricted-imports';

const cases: (LintCase & { expected: string[]; why: string })[] = [
  {
    why: 'an app reaching into a lib by path',
    file: 'apps/payments/src/batches/x.ts',
    code: "import { sumXof } from '../../../../libs/money/src/xof';\nexport const y = sumXof;\n",
    expected: [boundary],
  },
  {
    why: "an app importing another app's files",
    file: 'apps/payments/src/batches/x.ts',
    code: "import { thing } from '../../../enrolment/src/students/thing';\nexport const y = thing;\n",
    expected: [boundary],
  },
  {
    why: 'a lib importing an app',
    file: 'libs/messaging/src/x.ts',
    code: "import { thing } from '../../../apps/payments/src/payments.app';\nexport const y = thing;\n",
    expected: [boundary],
  },
  {
    why: "a lib re-exporting another lib's files",
    file: 'libs/messaging/src/x.ts',
    code: "export * from '../../contracts/src/topics';\n",
    expected: [boundary],
  },
  {
    why: 'a deep import through the alias',
    file: 'apps/exams/src/x.ts',
    code: "import { Topics } from '@scholarpay/contracts/src/topics';\nexport const y = Topics;\n",
    expected: [deep],
  },
  {
    why: 'an import from the repository root (baseUrl)',
    file: 'apps/exams/src/x.ts',
    code: "import { Topics } from 'libs/contracts/src';\nexport const y = Topics;\n",
    expected: [deep],
  },
  {
    why: "jest.mock of another app's module",
    file: 'apps/exams/test/x.int-spec.ts',
    code: "jest.mock('../../payments/src/provider/mobile-money.client');\n",
    expected: [boundary],
  },
  {
    why: 'a lib importing itself through its alias (a cycle through its index)',
    file: 'libs/money/src/x.ts',
    code: "import { sumXof } from '@scholarpay/money';\nexport const y = sumXof;\n",
    expected: [boundary],
  },
  {
    why: 'the public entry of a lib',
    file: 'apps/payments/src/batches/x.ts',
    code: "import { sumXof } from '@scholarpay/money';\nexport const y = sumXof;\n",
    expected: [],
  },
  {
    why: 'relative imports inside one app, including from its tests',
    file: 'apps/payments/test/x.int-spec.ts',
    code: "import { a } from '../src/batches/a';\nimport { b } from './support/b';\nexport const y = [a, b];\n",
    expected: [],
  },
  {
    why: "a lib's own spec using its public entry, as its users do",
    file: 'libs/kafka-broker/src/x.int-spec.ts',
    code: "import { startBroker } from '@scholarpay/kafka-broker';\nexport const y = startBroker;\n",
    expected: [],
  },
  {
    why: "a repository-level test starting an app through the app's entry",
    file: 'test/infra/x.int-spec.ts',
    code: "import { startPaymentsService } from '../../apps/payments/src/payments.app';\nexport const y = startPaymentsService;\n",
    expected: [],
  },
  {
    why: 'a repository-level script reaching into a lib by path',
    file: 'infra/scripts/x.ts',
    code: "import { Topics } from '../../libs/contracts/src/topics';\nexport const y = Topics;\n",
    expected: [boundary],
  },
];

describe('lint: package boundaries', () => {
  let reported: string[][];

  beforeAll(() => {
    reported = lint(cases);
  });

  it.each(cases.map((entry, index) => [entry.why, index] as const))('%s', (_why, index) => {
    expect(reported[index]).toEqual(cases[index].expected);
  });
});
