/**
 * The Gao story end to end (issue 9, item 2): the broker and all five services as separate
 * processes over Postgres and Redis, the story told through the public APIs with the provider's
 * faults switched on, then the end state checked: every eligible student with a usable, unblocked
 * phone paid exactly once per month (one SUCCESS per paid line in the provider's statement, none
 * for failed lines), failures only for the blocked wallets, one SMS per payout, the ledger balanced,
 * reconciliation clean, and evaluation numbers that match the results the story recorded.
 */
import { expectedGaoSummary, GaoStoryOptions, runGaoStory } from './story/gao-story';
import { startStoryStack, STORY_PROVIDER_TIMEOUT_MS, StoryStack } from './story/story-stack';

const SEED = 2015;
const STUDENTS = 120;

/** How often payments' calls to the provider ended ambiguous, rate-limited or unavailable. */
async function providerTrouble(
  paymentsUrl: string,
): Promise<{ ambiguous: number; rateLimited: number; unavailable: number }> {
  const text = await (await fetch(`${paymentsUrl}/metrics`)).text();
  const count = (outcome: string) =>
    text
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('provider_call_duration_seconds_count{') && line.includes(`outcome="${outcome}"`),
      )
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  return {
    ambiguous: count('ambiguous'),
    rateLimited: count('rate_limited'),
    unavailable: count('unavailable'),
  };
}

describe('the Gao story, end to end over five service processes', () => {
  let stack: StoryStack;
  const progress: string[] = [];

  beforeAll(async () => {
    stack = await startStoryStack({ database: 'full_story', redisDb: 14 });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  function storyOptions(): GaoStoryOptions {
    return {
      urls: stack.urls,
      jwtSecret: stack.jwtSecret,
      provider: stack.provider,
      students: STUDENTS,
      seed: SEED,
      log: (line) => {
        progress.push(line);
        if (process.env.STORY_VERBOSE) process.stdout.write(`${line}\n`);
      },
      faults: { hangMs: STORY_PROVIDER_TIMEOUT_MS + 1500, requestsPerSecond: 30 },
      waitTimeoutMs: 150_000,
      requestTimeoutMs: 10_000,
    };
  }

  it('pays every eligible student once a month through provider faults, and the numbers add up', async () => {
    let result: Awaited<ReturnType<typeof runGaoStory>>;
    try {
      result = await runGaoStory(storyOptions());
    } catch (error) {
      // The story's own account of what it did is the best clue.
      process.stderr.write(`${progress.join('\n')}\n`);
      throw error;
    }
    const { summary, checks, imports, evaluation } = result;

    // Each school's file: the valid rows created, exactly the three bad rows refused, each where it is wrong.
    expect(imports).toHaveLength(3);
    for (const outcome of imports) {
      expect(outcome.rejected).toBe(3);
      expect(outcome.created + outcome.updated + outcome.unchanged + outcome.rejected).toBe(
        outcome.totalRows,
      );
      const columns = outcome.rejections.map((rejection) => rejection.column);
      expect(columns).toHaveLength(3);
      expect(columns.some((column) => /date/.test(column ?? ''))).toBe(true);
      expect(columns.some((column) => /phone|téléphone/.test(column ?? ''))).toBe(true);
      expect(columns.some((column) => /region|région/.test(column ?? ''))).toBe(true);
    }

    // The end state is exactly what the seed says a correct system reaches.
    const expected = expectedGaoSummary({ seed: SEED, students: STUDENTS, months: summary.months });
    expect(summary).toEqual(expected);
    expect(summary.payouts.paid.length).toBeGreaterThan(0);
    expect(summary.payouts.failed.length).toBeGreaterThan(0);
    expect(summary.payouts.failed.every((entry) => entry.endsWith(' PAYEE_BLOCKED'))).toBe(true);

    // The provider's statement: one credit per paid line, none for failed ones, nothing else.
    expect(checks.paidLinesWithoutExactlyOneSuccess).toEqual([]);
    expect(checks.failedLinesWithSuccess).toEqual([]);
    expect(checks.unknownReferences).toEqual([]);
    expect(checks.paidTwice).toEqual([]);
    expect(checks.openLines).toEqual([]);
    expect(checks.smsProblems).toEqual([]);
    expect(checks.trialBalance).toEqual({
      balanced: true,
      total: 0,
      unbalancedPostings: 0,
      linesOutOfPosition: 0,
    });
    for (const reconciliation of checks.reconciliations) {
      expect(reconciliation.mismatches).toEqual([]);
      expect(reconciliation.counts.IN_FLIGHT).toBe(0);
    }

    // The evaluation counts what the story recorded, group by group and school by school.
    expect(evaluation.groups.recipients.n + evaluation.groups.nonRecipients.n).toBe(
      summary.evaluation.results,
    );
    const strata = evaluation.strata.strata as { recipients: { n: number }; nonRecipients: { n: number } }[];
    expect(strata.reduce((sum, stratum) => sum + stratum.recipients.n, 0)).toBe(
      evaluation.groups.recipients.n,
    );
    expect(strata.reduce((sum, stratum) => sum + stratum.nonRecipients.n, 0)).toBe(
      evaluation.groups.nonRecipients.n,
    );
    expect(evaluation.comparison.riskDifference.estimable).toBe(true);

    // The payouts really met the provider's faults (payments' own metrics, as Prometheus reads them).
    const met = await providerTrouble(stack.urls.payments);
    if (process.env.STORY_VERBOSE)
      process.stdout.write(`provider trouble met by payments: ${JSON.stringify(met)}\n`);
    expect(met.ambiguous + met.rateLimited + met.unavailable).toBeGreaterThan(0);

    // Told again, the story finds everything done and pays no one twice.
    progress.length = 0;
    const again = await runGaoStory(storyOptions());
    expect(again.summary).toEqual(expected);
    expect(
      again.imports.every(
        (outcome) => outcome.created === 0 && outcome.updated === 0 && outcome.rejected === 3,
      ),
    ).toBe(true);
    expect(again.checks.paidLinesWithoutExactlyOneSuccess).toEqual([]);
    expect(again.checks.unknownReferences).toEqual([]);
  }, 420_000);
});
