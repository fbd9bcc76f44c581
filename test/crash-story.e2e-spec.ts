/**
 * The Gao story while services die (issue 9, item 3). The story is told twice with one seed:
 * once without crashes, then on a fresh database while a chaos monkey kills each service in turn
 * with `kill -9` (enrolment during the imports, eligibility while it decides, payments and the
 * provider while batches disburse, exams during the results import) and starts it again on the
 * same port. The end state with crashes must equal the end state without: the same students paid
 * the same amounts for the same months, the same failures with the same reasons, the same ledger,
 * the same SMS count, the same evaluation; and both must equal what the seed says.
 */
import { ChaosMonkey, chaosPlan } from './story/chaos';
import {
  DEFAULT_FAULTS,
  expectedGaoSummary,
  GaoStoryOptions,
  inspectGaoStory,
  runGaoStory,
} from './story/gao-story';
import { STORY_APPS, startStoryStack, STORY_PROVIDER_TIMEOUT_MS, StoryStack } from './story/story-stack';

const SEED = 1415;
const STUDENTS = 90;
const FAULTS = { hangMs: STORY_PROVIDER_TIMEOUT_MS + 1500, requestsPerSecond: 30 };

/** The same faults at the provider's boot, so a restarted provider keeps misbehaving. */
const BOOT_FAULTS = {
  seed: SEED,
  global: {
    timeoutRate: DEFAULT_FAULTS.timeoutRate,
    timeoutMode: 'hang',
    hangMs: FAULTS.hangMs,
    errorRate: DEFAULT_FAULTS.errorRate,
    errorPhase: 'random',
    callbacks: { dropRate: DEFAULT_FAULTS.dropRate, duplicateRate: DEFAULT_FAULTS.duplicateRate },
  },
  rateLimit: { requestsPerSecond: FAULTS.requestsPerSecond, retryAfterSeconds: 1 },
};

function optionsFor(stack: StoryStack, log: (line: string) => void): GaoStoryOptions {
  return {
    urls: stack.urls,
    jwtSecret: stack.jwtSecret,
    provider: stack.provider,
    students: STUDENTS,
    seed: SEED,
    log: (line) => {
      log(line);
      if (process.env.STORY_VERBOSE) process.stdout.write(`${line}\n`);
    },
    faults: FAULTS,
    waitTimeoutMs: 240_000,
    requestTimeoutMs: 10_000,
  };
}

describe('the Gao story with kill -9 of every service in turn', () => {
  let stack: StoryStack | undefined;

  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  }, 60_000);

  it('ends exactly where the story without crashes ends', async () => {
    // Without crashes.
    stack = await startStoryStack({ database: 'crash_story_baseline', redisDb: 15 });
    const calm = await runGaoStory(optionsFor(stack, () => undefined));
    await stack.stop();
    stack = undefined;

    // With crashes, on a fresh database and Redis.
    stack = await startStoryStack({
      database: 'crash_story',
      redisDb: 15,
      providerFaultsAtBoot: BOOT_FAULTS,
    });
    const progress: string[] = [];
    const monkey = new ChaosMonkey(stack, chaosPlan(SEED));
    const options = optionsFor(stack, (line) => {
      progress.push(line);
      monkey.observe(line);
    });
    monkey.start();
    try {
      await runGaoStory(options);
    } catch (error) {
      process.stderr.write(`${progress.join('\n')}\nkills: ${JSON.stringify(monkey.records, null, 2)}\n`);
      throw error;
    } finally {
      await monkey.stop();
    }
    // Every service up again before the end state is read.
    for (const app of STORY_APPS) if (!stack.isRunning(app)) await stack.restart(app);
    const stormy = await inspectGaoStory(options);

    // The monkey did its job: each service was killed (and came back).
    expect(new Set(monkey.records.map((record) => record.app))).toEqual(new Set(STORY_APPS));
    expect(monkey.records.filter((record) => record.error)).toEqual([]);

    // Same end state with and without crashes, and the one the seed calls for.
    const expected = expectedGaoSummary({ seed: SEED, students: STUDENTS, months: calm.summary.months });
    expect(calm.summary).toEqual(expected);
    expect(stormy.summary).toEqual(calm.summary);

    // Exactly once at the provider, and everything accounted for.
    expect(stormy.checks.paidLinesWithoutExactlyOneSuccess).toEqual([]);
    expect(stormy.checks.failedLinesWithSuccess).toEqual([]);
    expect(stormy.checks.unknownReferences).toEqual([]);
    expect(stormy.checks.paidTwice).toEqual([]);
    expect(stormy.checks.openLines).toEqual([]);
    expect(stormy.checks.smsProblems).toEqual([]);
    expect(stormy.checks.trialBalance).toEqual({
      balanced: true,
      total: 0,
      unbalancedPostings: 0,
      linesOutOfPosition: 0,
    });
    for (const reconciliation of stormy.checks.reconciliations) expect(reconciliation.mismatches).toEqual([]);
  }, 600_000);
});
