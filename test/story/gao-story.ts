/**
 * The Gao story, told through the public HTTP APIs only, as the people of the programme would:
 *
 *   1. the programme administrator opens three schools (Gao and Tombouctou in the north, one in Bamako);
 *   2. each school's administrator uploads the school's CSV of students (bad rows included);
 *   3. the programme administrator defines a programme whose rules favour the northern regions,
 *      and eligibility awards scholarships;
 *   4. the provider has a bad day (seeded faults) and blocks one or two wallets;
 *   5. for this month and the next, a finance preparer builds and submits the batch and a different
 *      finance approver approves it; the payouts run to completion; each batch is reconciled;
 *   6. the evaluator creates an exam session dated after the payouts, uploads the results and asks
 *      for the pass-rate comparison, stratified by school.
 *
 * Every step is an "ensure": it looks before it creates, so the story can be told again (nothing is
 * paid twice) and survives a service being killed in the middle of a call (requests are retried
 * with backoff; a request that may or may not have happened is followed by a look-up).
 *
 * `inspectGaoStory` reads the end state back (lines, provider statement, SMS, ledger, reconciliation,
 * evaluation) into a summary without ids, comparable between runs; `expectedGaoSummary` derives the
 * summary a correct system must reach from the seed alone.
 */
import { Roles } from '@scholarpay/auth';
import type { PassRateReport } from './pass-rate-table';
import {
  ApiError,
  HttpClient,
  Persona,
  ProviderApi,
  ServiceApi,
  sleep,
  tokenFor,
  TransientError,
} from './http';
import {
  absentStudent,
  blockedStudents,
  drawExamResults,
  examResultsCsv,
  isEligible,
  NORTHERN_NURSING_RULES,
  NORTHERN_REGIONS,
  planPopulation,
  Population,
  SCHOOLS,
  StudentPlan,
} from './population';

export interface ServiceUrls {
  enrolment: string;
  eligibility: string;
  payments: string;
  exams: string;
  mobileMoney: string;
}

export interface ProviderFaultSettings {
  /** Share of provider requests answered too late (the work is still done). */
  timeoutRate: number;
  /** How long a "timed out" answer is held: more than payments' provider timeout. */
  hangMs: number;
  /** Share of provider requests answered 500 (before or after the work, at random). */
  errorRate: number;
  /** Shares of final callbacks dropped and sent twice. */
  dropRate: number;
  duplicateRate: number;
  /** Above this many requests per second the provider answers 429 with Retry-After. */
  requestsPerSecond: number;
}

export const DEFAULT_FAULTS: ProviderFaultSettings = {
  timeoutRate: 0.03,
  hangMs: 12_000,
  errorRate: 0.05,
  dropRate: 0.15,
  duplicateRate: 0.15,
  requestsPerSecond: 40,
};

export interface GaoStoryOptions {
  urls: ServiceUrls;
  /** The HS256 secret the services verify tokens with. */
  jwtSecret: string;
  /** The merchant credentials of the mobile-money provider (MOBILE_MONEY_CLIENT_ID / SECRET). */
  provider: { clientId: string; clientSecret: string };
  /** How many students the schools enrol (about 400 for the demo). */
  students: number;
  seed: number;
  /** Progress, one line at a time, as a person would read it. */
  log?: (line: string) => void;
  /** Provider faults switched on for the payouts; false for none. */
  faults?: Partial<ProviderFaultSettings> | false;
  /** Longest wait for asynchronous work (an import, awards, a batch) before the story gives up. */
  waitTimeoutMs?: number;
  /** Timeout of one HTTP request. */
  requestTimeoutMs?: number;
  /** "Today", for the programme's months and the exam date (default: now). */
  today?: Date;
}

export const MONTHLY_STIPEND = 25_000;
export const PROGRAMME_MONTHS = 9;

/** The people of the story: each has their own token, with only their own roles. */
export const PEOPLE = {
  programmeAdmin: { sub: 'awa.maiga', roles: [Roles.programmeAdmin] },
  preparer: { sub: 'oumar.diarra', roles: [Roles.financePreparer] },
  approver: { sub: 'kadidia.coulibaly', roles: [Roles.financeApprover] },
  evaluator: { sub: 'boubacar.sidibe', roles: [Roles.evaluator] },
  auditor: { sub: 'hawa.dembele', roles: [Roles.auditor] },
  schoolAdmins: {
    'ESS-GAO': 'sekou.toure',
    'ESS-TOMBOUCTOU': 'fadimata.walet',
    'INFSS-BAMAKO': 'mariam.keita',
  } as Record<string, string>,
} satisfies Record<string, Persona | Record<string, string>>;

export function programmeCodeOf(seed: number): string {
  return `GAO-NORD-${seed}`;
}

export function examSessionCodeOf(seed: number): string {
  return `CERT-SANTE-${seed}`;
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function addMonths(month: string, count: number): string {
  const [year, number] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year, number - 1 + count, 1));
  return monthOf(date);
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export interface GroupCount {
  n: number;
  passed: number;
}

/** The end state in words and counts, without ids: two runs of one seed must give equal summaries. */
export interface StorySummary {
  seed: number;
  months: string[];
  schools: string[];
  students: { planned: number; enrolled: number; rejectedRows: number };
  /** National ids of the students holding an active award of the programme. */
  awarded: string[];
  payouts: {
    /** `<national id> <month> <amount>` per PAID line. */
    paid: string[];
    /** `<national id> <month> <reason code>` per FAILED line. */
    failed: string[];
    /** `<national id> <month> <reason>` per award excluded from a batch. */
    excluded: string[];
  };
  batches: {
    month: string;
    state: string;
    lines: number;
    paid: number;
    failed: number;
    paidAmount: number;
    excluded: number;
  }[];
  /** SMS the provider holds for paid lines (by the line's reference). */
  sms: number;
  ledger: {
    funded: number;
    remaining: number;
    committed: number;
    inFlight: number;
    paid: number;
    balanced: boolean;
    trialBalanced: boolean;
  };
  reconciliation: { month: string; matched: number; mismatches: number }[];
  evaluation: {
    results: number;
    resultsWithoutStudent: number;
    recipients: GroupCount;
    nonRecipients: GroupCount;
    strata: { label: string; recipients: GroupCount; nonRecipients: GroupCount }[];
  };
}

export interface ImportOutcome {
  school: string;
  importId: string;
  status: string;
  totalRows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: { row: number; column: string | null; message: string }[];
}

/** What the end state shows beyond the summary: the evidence the tests check. */
export interface EndStateChecks {
  /** PAID lines whose reference the provider statement does not show exactly once as SUCCESS. */
  paidLinesWithoutExactlyOneSuccess: { lineId: string; successes: number }[];
  /** FAILED lines the provider nevertheless credited. */
  failedLinesWithSuccess: string[];
  /** Statement items in the batches' window whose reference is none of the story's lines. */
  unknownReferences: { referenceId: string; status: string }[];
  /** (student, month) pairs paid more than once. */
  paidTwice: string[];
  /** Lines still open (PENDING, SUBMITTED, UNKNOWN). */
  openLines: string[];
  /** Paid lines without exactly one SMS (by reference), and failed lines with one. */
  smsProblems: string[];
  trialBalance: { balanced: boolean; total: number; unbalancedPostings: number; linesOutOfPosition: number };
  reconciliations: {
    month: string;
    batchId: string;
    counts: Record<string, number>;
    mismatches: unknown[];
  }[];
}

/** The pass-rate comparison as GET /api/v1/evaluations/pass-rates returns it. */
export type PassRateEvaluation = PassRateReport & {
  completeness: { results: number; resultsWithoutStudent: number };
};

export interface StoryLinks {
  chartSvg: string;
  csv: string;
  json: string;
}

export interface GaoStoryResult {
  summary: StorySummary;
  checks: EndStateChecks;
  imports: ImportOutcome[];
  /** The pass-rate comparison as the exams service returns it (GET /evaluations/pass-rates). */
  evaluation: PassRateEvaluation;
  links: StoryLinks;
  programme: { id: string; code: string; firstMonth: string; lastMonth: string };
  examSession: { id: string; code: string; examDate: string };
}

// ---------------------------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------------------------

interface StudentRecord {
  id: string;
  nationalId: string;
  schoolCode: string;
  phone: string | null;
}

interface BatchView {
  id: string;
  programmeId: string;
  month: string;
  state: string;
  lineCount: number;
  totalAmount: number;
  excludedCount: number;
  createdBy: string;
  createdAt: string;
  approvedAt: string | null;
  completedAt: string | null;
  lines: Record<string, { count: number; amount: number }>;
  smsSent: number;
  excluded: {
    total: number;
    byReason: Record<string, number>;
    items: { awardId: string; studentId: string; reason: string; detail: string }[];
    truncated: boolean;
  };
}

interface LineItem {
  id: string;
  awardId: string;
  studentId: string;
  phone: string;
  amount: number;
  status: string;
  reasonCode: string | null;
  reason: string | null;
}

interface AwardItem {
  awardId: string;
  studentId: string;
  status: string;
  firstMonth: string;
  lastMonth: string;
  monthlyStipend: number;
}

const LIVE_BATCH_STATES = ['DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'DISBURSING', 'COMPLETED'];

function formatXof(amount: number): string {
  return `${amount.toLocaleString('fr-FR').replace(/\u202f|\u00a0/g, ' ')} XOF`;
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}

/** The services and people of one telling of the story. */
class StoryContext {
  readonly http: HttpClient;
  readonly population: Population;
  readonly log: (line: string) => void;
  readonly waitTimeoutMs: number;
  readonly today: Date;
  private readonly apis = new Map<string, ServiceApi>();
  readonly provider: ProviderApi;
  private lastRetryLog = 0;

  constructor(readonly options: GaoStoryOptions) {
    this.log = options.log ?? (() => undefined);
    this.waitTimeoutMs = options.waitTimeoutMs ?? 10 * 60_000;
    this.today = options.today ?? new Date();
    this.http = new HttpClient({
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      patienceMs: Math.max(240_000, this.waitTimeoutMs),
      onRetry: (what, attempt, reason) => {
        // Say it once in a while, not for every retry of every request.
        if (Date.now() - this.lastRetryLog < 5_000) return;
        this.lastRetryLog = Date.now();
        this.log(
          `    … ${what.replace(/\?.*$/, '')} did not go through (${reason}); retrying (attempt ${attempt})`,
        );
      },
    });
    this.population = planPopulation(options.seed, options.students, this.today);
    this.provider = new ProviderApi(
      options.urls.mobileMoney,
      this.http,
      options.provider.clientId,
      options.provider.clientSecret,
    );
  }

  async as(service: keyof Omit<ServiceUrls, 'mobileMoney'>, persona: Persona): Promise<ServiceApi> {
    const key = `${service}:${persona.sub}:${persona.roles.join(',')}:${(persona.schoolIds ?? []).join(',')}`;
    let api = this.apis.get(key);
    if (!api) {
      api = new ServiceApi(
        service,
        this.options.urls[service],
        this.http,
        await tokenFor(persona, this.options.jwtSecret),
      );
      this.apis.set(key, api);
    }
    return api;
  }

  /** Polls until `check` gives a value, or fails after the story's patience with what it saw last. */
  async waitUntil<T>(
    description: string,
    check: () => Promise<T | undefined>,
    intervalMs = 1000,
  ): Promise<T> {
    const deadline = Date.now() + this.waitTimeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(
          `gave up after ${Math.round(this.waitTimeoutMs / 1000)} s waiting for ${description}`,
        );
      await sleep(intervalMs);
    }
  }
}

/** Tells the whole story, then reads the end state back. */
export async function runGaoStory(options: GaoStoryOptions): Promise<GaoStoryResult> {
  const story = new StoryContext(options);
  const { log, population } = story;
  log(`The Gao story (seed ${options.seed}, ${options.students} students)`);

  const schoolIds = await ensureSchools(story);
  const imports = await importStudents(story, schoolIds);
  const students = await lookUpStudents(story);
  const missing = population.students.filter((student) => !students.byNationalId.has(student.nationalId));
  if (missing.length > 0) {
    throw new Error(
      `${missing.length} valid students are not in enrolment after the imports (first: ${missing[0].nationalId})`,
    );
  }

  const programme = await ensureProgramme(story);
  const awards = await awaitAwards(story, programme, students);
  const months = [programme.firstMonth, addMonths(programme.firstMonth, 1)];

  const batches: BatchView[] = [];
  const existing = await Promise.all(months.map((month) => findLiveBatch(story, programme.id, month)));
  if (existing.every((batch) => batch?.state === 'COMPLETED')) {
    log('');
    log(`▶ Stipends: ${months.join(' and ')} were paid already; nothing is paid twice.`);
    for (const batch of existing) {
      batches.push(batch!);
      log(
        `  ${batch!.month}: batch ${batch!.id} completed ${batch!.completedAt}: ${describeOutcome(batch!)}`,
      );
    }
  } else {
    await switchProviderFaultsOn(story, students);
    for (const month of months) batches.push(await ensureBatchPaid(story, programme, month, awards));
  }
  for (const batch of batches) await awaitSms(story, batch.id);
  await switchProviderFaultsOff(story);
  await reconcileBatches(story, batches);

  const session = await ensureExamSession(story);
  await importExamResults(story, session, students, batches);
  const evaluation = await awaitEvaluation(story, session, students, batches);

  const inspected = await inspectGaoStory(options, { imports });
  return { ...inspected, evaluation };
}

// --- schools -------------------------------------------------------------------------------------

async function ensureSchools(story: StoryContext): Promise<Map<string, string>> {
  story.log('');
  story.log('▶ Schools (programme administrator awa.maiga)');
  const api = await story.as('enrolment', PEOPLE.programmeAdmin);
  const ids = new Map<string, string>();
  for (const plan of SCHOOLS) {
    for (;;) {
      const { items } = await api.get<{ items: { id: string; code: string }[] }>('/schools');
      const found = items.find((school) => school.code === plan.code);
      if (found) {
        ids.set(plan.code, found.id);
        story.log(`  ✔ ${plan.code.padEnd(15)} ${plan.name} (${plan.city}) — already open`);
        break;
      }
      try {
        const created = await api.post<{ id: string }>(
          '/schools',
          { code: plan.code, name: plan.name, region: plan.region, city: plan.city },
          { accept: [409] },
        );
        if (created && (created as { id?: string }).id) {
          ids.set(plan.code, created.id);
          story.log(`  ✔ ${plan.code.padEnd(15)} ${plan.name} (${plan.city}) — opened`);
          break;
        }
      } catch (error) {
        if (!(error instanceof TransientError)) throw error;
      }
    }
  }
  return ids;
}

// --- students --------------------------------------------------------------------------------------

async function importStudents(story: StoryContext, schoolIds: Map<string, string>): Promise<ImportOutcome[]> {
  story.log('');
  story.log("▶ Students: each school's administrator uploads the school's CSV");
  const outcomes: ImportOutcome[] = [];
  for (const school of SCHOOLS) {
    const persona: Persona = {
      sub: PEOPLE.schoolAdmins[school.code],
      roles: [Roles.schoolAdmin],
      schoolIds: [schoolIds.get(school.code)!],
    };
    const api = await story.as('enrolment', persona);
    const file = story.population.files.get(school.code)!;
    const style = `${school.csv.language === 'fr' ? 'French' : 'English'} headers, "${school.csv.delimiter}"${school.csv.bom ? ', BOM' : ''}${school.csv.crlf ? ', CRLF' : ''}`;
    // Uploading the same file twice changes nothing, so a retried upload is harmless.
    const accepted = await api.request<{ importId: string; totalRows: number }>('/student-imports', {
      method: 'POST',
      raw: { contentType: 'text/csv; charset=utf-8', data: Buffer.from(file, 'utf8') },
    });
    const importId = accepted.body.importId;
    const done = await story.waitUntil(`the import of ${school.code}'s CSV (${importId})`, async () => {
      const state = await api.get<ImportOutcome & { failureReason: string | null }>(
        `/student-imports/${importId}`,
      );
      if (state.status === 'failed')
        throw new Error(`the import of ${school.code}'s CSV failed: ${state.failureReason}`);
      return state.status === 'completed' ? state : undefined;
    });
    const outcome: ImportOutcome = {
      school: school.code,
      importId,
      status: done.status,
      totalRows: done.totalRows,
      created: done.created,
      updated: done.updated,
      unchanged: done.unchanged,
      rejected: done.rejected,
      rejections: done.rejections.map(({ row, column, message }) => ({ row, column, message })),
    };
    outcomes.push(outcome);
    story.log(
      `  ${school.code.padEnd(15)} uploaded by ${persona.sub} (${style}): ${done.totalRows} rows — ` +
        `${done.created} created, ${done.updated} updated, ${done.unchanged} unchanged, ${done.rejected} rejected`,
    );
    for (const rejection of outcome.rejections) {
      story.log(`      row ${rejection.row}, ${rejection.column ?? '(row)'}: ${rejection.message}`);
    }
  }
  return outcomes;
}

interface StudentDirectory {
  byNationalId: Map<string, StudentRecord>;
  byId: Map<string, StudentRecord>;
}

/** Every student of the three schools, as enrolment knows them (ids, current phone). */
async function lookUpStudents(story: StoryContext): Promise<StudentDirectory> {
  const api = await story.as('enrolment', PEOPLE.auditor);
  const byNationalId = new Map<string, StudentRecord>();
  const byId = new Map<string, StudentRecord>();
  for (const school of SCHOOLS) {
    let cursor: string | null = null;
    do {
      const query: string = `/students?schoolCode=${encodeURIComponent(school.code)}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { items: StudentRecord[]; nextCursor: string | null } = await api.get(query);
      for (const student of page.items) {
        const record = {
          id: student.id,
          nationalId: student.nationalId,
          schoolCode: student.schoolCode,
          phone: student.phone,
        };
        byNationalId.set(record.nationalId, record);
        byId.set(record.id, record);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return { byNationalId, byId };
}

// --- programme and awards ----------------------------------------------------------------------------

interface ProgrammeRef {
  id: string;
  code: string;
  firstMonth: string;
  lastMonth: string;
  monthlyStipend: number;
  budget: number;
}

async function ensureProgramme(story: StoryContext): Promise<ProgrammeRef> {
  const code = programmeCodeOf(story.options.seed);
  story.log('');
  story.log(`▶ Programme ${code} (programme administrator awa.maiga)`);
  const api = await story.as('eligibility', PEOPLE.programmeAdmin);
  const firstMonth = monthOf(story.today);
  const body = {
    code,
    name: 'Bourses des élèves infirmiers et sages-femmes du Nord',
    monthlyStipend: MONTHLY_STIPEND,
    firstMonth,
    lastMonth: addMonths(firstMonth, PROGRAMME_MONTHS - 1),
    budget: MONTHLY_STIPEND * PROGRAMME_MONTHS * story.options.students,
    rules: NORTHERN_NURSING_RULES,
  };
  let created = false;
  for (;;) {
    const programmes = await api.get<
      {
        programmeId: string;
        code: string;
        firstMonth: string;
        lastMonth: string;
        monthlyStipend: number;
        budget: number;
      }[]
    >('/programmes');
    const found = programmes.find((programme) => programme.code === code);
    if (found) {
      story.log(
        `  ✔ ${created ? 'defined' : 'already defined'}: ${found.firstMonth} to ${found.lastMonth}, ` +
          `${formatXof(found.monthlyStipend)} a month, budget ${formatXof(found.budget)}`,
      );
      story.log(
        `    rules: region of origin in ${NORTHERN_REGIONS.join(', ')}; status enrolled; programme of study nursing or midwifery`,
      );
      return {
        id: found.programmeId,
        code,
        firstMonth: found.firstMonth,
        lastMonth: found.lastMonth,
        monthlyStipend: found.monthlyStipend,
        budget: found.budget,
      };
    }
    try {
      // 409: it exists after all (an earlier attempt whose answer was lost); the next look finds it.
      const answer = await api.request('/programmes', { method: 'POST', json: body, accept: [409] });
      created = answer.status === 201;
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
    }
  }
}

async function listAwards(story: StoryContext, programmeId: string): Promise<AwardItem[]> {
  const api = await story.as('eligibility', PEOPLE.programmeAdmin);
  const awards: AwardItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: AwardItem[]; nextCursor: string | null } = await api.get(
      `/programmes/${programmeId}/awards?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    awards.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return awards;
}

/** Waits until eligibility has decided every student and awarded every eligible one, and the count holds still. */
async function awaitAwards(
  story: StoryContext,
  programme: ProgrammeRef,
  students: StudentDirectory,
): Promise<AwardItem[]> {
  const api = await story.as('eligibility', PEOPLE.programmeAdmin);
  const eligibleIds = story.population.students
    .filter(isEligible)
    .map((student) => students.byNationalId.get(student.nationalId)!.id);
  story.log(
    `  waiting for eligibility to decide every student (${eligibleIds.length} of ${story.population.students.length} meet the rules)…`,
  );
  let previous = -1;
  let lastSaid = 0;
  const awards = await story.waitUntil(
    `eligibility to award the ${eligibleIds.length} eligible students of programme ${programme.code}`,
    async () => {
      const detail = await api.get<{ decisions: { decided: number }; awardsByStatus: { active: number } }>(
        `/programmes/${programme.id}`,
      );
      const list = await listAwards(story, programme.id);
      const held = new Set(list.filter((award) => award.status === 'active').map((award) => award.studentId));
      const missing = eligibleIds.filter((id) => !held.has(id)).length;
      if (Date.now() - lastSaid > 5000) {
        lastSaid = Date.now();
        story.log(`    ${detail.decisions.decided} students decided, ${held.size} awards`);
      }
      const settled =
        missing === 0 &&
        detail.decisions.decided >= story.population.students.length &&
        list.length === previous;
      previous = list.length;
      return settled ? list : undefined;
    },
    1500,
  );
  const active = awards.filter((award) => award.status === 'active').length;
  story.log(`  ✔ ${active} scholarships awarded (${formatXof(MONTHLY_STIPEND)} a month each)`);
  return awards;
}

// --- the provider's bad day ----------------------------------------------------------------------------

function faultSettings(story: StoryContext): ProviderFaultSettings | null {
  if (story.options.faults === false) return null;
  return { ...DEFAULT_FAULTS, ...story.options.faults };
}

async function switchProviderFaultsOn(story: StoryContext, students: StudentDirectory): Promise<void> {
  story.log('');
  story.log('▶ The mobile-money provider has a bad day');
  const settings = faultSettings(story);
  if (settings) {
    const config = {
      seed: story.options.seed,
      global: {
        timeoutRate: settings.timeoutRate,
        timeoutMode: 'hang',
        hangMs: settings.hangMs,
        errorRate: settings.errorRate,
        errorPhase: 'random',
        callbacks: { dropRate: settings.dropRate, duplicateRate: settings.duplicateRate },
      },
      rateLimit: { requestsPerSecond: settings.requestsPerSecond, retryAfterSeconds: 1 },
    };
    await story.provider.request('/admin/faults', { method: 'PUT', json: config });
    story.log(
      `  faults on (seed ${story.options.seed}): ${pct(settings.timeoutRate)} of answers too late (the transfer still happens), ` +
        `${pct(settings.errorRate)} answered 500, ${pct(settings.dropRate)} of callbacks dropped, ${pct(settings.duplicateRate)} sent twice, ` +
        `429 above ${settings.requestsPerSecond} requests/s`,
    );
  } else {
    story.log('  (faults left off for this telling)');
  }
  for (const student of blockedStudents(story.population)) {
    const phone = students.byNationalId.get(student.nationalId)?.phone ?? student.phone!;
    await story.provider.request('/admin/subscribers', {
      method: 'POST',
      json: { msisdn: phone, kycLevel: 2, blocked: true },
    });
    story.log(
      `  wallet of ${student.firstName} ${student.lastName} (${student.schoolCode}) blocked by the operator: their payouts will fail`,
    );
  }
}

async function switchProviderFaultsOff(story: StoryContext): Promise<void> {
  await story.provider.request('/admin/faults', { method: 'DELETE' });
}

function pct(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

// --- payouts -----------------------------------------------------------------------------------------

async function findLiveBatch(
  story: StoryContext,
  programmeId: string,
  month: string,
): Promise<BatchView | undefined> {
  const api = await story.as('payments', PEOPLE.preparer);
  const { items } = await api.get<{ items: BatchView[] }>(
    `/payout-batches?programmeId=${programmeId}&month=${month}&limit=200`,
  );
  const live = items.filter((batch) => LIVE_BATCH_STATES.includes(batch.state));
  if (live.length > 1 && live.some((batch) => batch.state !== 'DRAFT')) {
    // Two live batches for one month can only both hold lines if payments let a slot be taken twice.
    const withLines = live.filter((batch) => batch.lineCount > 0);
    if (withLines.length > 1)
      throw new Error(
        `payments holds ${withLines.length} live batches for ${month}: ${withLines.map((b) => `${b.id} ${b.state}`).join(', ')}`,
      );
  }
  const chosen = live.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  return chosen ? api.get<BatchView>(`/payout-batches/${chosen.id}`) : undefined;
}

function describeOutcome(batch: BatchView): string {
  return `${batch.lines.PAID.count} paid (${formatXof(batch.lines.PAID.amount)}), ${batch.lines.FAILED.count} failed, ${batch.smsSent} SMS sent`;
}

/**
 * A batch for the month, driven to COMPLETED: created and submitted by the preparer, approved by
 * the approver. Each pass reads the batch's state first, so a step whose answer was lost (or that a
 * previous telling already took) is never taken twice.
 */
async function ensureBatchPaid(
  story: StoryContext,
  programme: ProgrammeRef,
  month: string,
  awards: AwardItem[],
): Promise<BatchView> {
  story.log('');
  story.log(`▶ Stipends for ${month}`);
  const preparer = await story.as('payments', PEOPLE.preparer);
  const approver = await story.as('payments', PEOPLE.approver);
  const covering = awards.filter((award) => award.firstMonth <= month && month <= award.lastMonth).length;
  const deadline = Date.now() + story.waitTimeoutMs;
  let lastProgress = '';
  let lastProgressAt = 0;
  for (;;) {
    if (Date.now() > deadline)
      throw new Error(`gave up after ${story.waitTimeoutMs / 1000} s on the batch for ${month}`);
    const batch = await findLiveBatch(story, programme.id, month);
    try {
      if (!batch) {
        const created = await preparer.post<BatchView>(
          '/payout-batches',
          { programmeId: programme.id, month },
          { retry: false },
        );
        story.log(
          `  prepared by ${PEOPLE.preparer.sub}: ${created.lineCount} lines, total ${formatXof(created.totalAmount)}; ` +
            `${created.excludedCount} excluded${describeExclusions(created)}`,
        );
        continue;
      }
      switch (batch.state) {
        case 'DRAFT': {
          const unknownPayees = batch.excluded.byReason.PAYEE_UNKNOWN ?? 0;
          if (batch.lineCount + batch.excludedCount < covering || unknownPayees > 0) {
            // Payments builds batches from what the events told it; it has not heard everything yet.
            story.log(
              `  payments knew ${batch.lineCount + batch.excludedCount - unknownPayees} of the ${covering} awards' payees; ` +
                `cancelling the draft and preparing it again shortly`,
            );
            await preparer.post(
              `/payout-batches/${batch.id}/cancel`,
              { reason: 'not every award had reached payments yet; prepared again' },
              { retry: false },
            );
            await sleep(2000);
            continue;
          }
          await preparer.post(
            `/payout-batches/${batch.id}/submit`,
            { comment: `stipends for ${month}` },
            { retry: false },
          );
          story.log(`  submitted for approval by ${PEOPLE.preparer.sub}`);
          continue;
        }
        case 'PENDING_APPROVAL':
          await approver.post(
            `/payout-batches/${batch.id}/approve`,
            { comment: 'checked against the award list' },
            { retry: false },
          );
          story.log(`  approved by ${PEOPLE.approver.sub} (a second person): disbursement starts`);
          continue;
        case 'APPROVED':
        case 'DISBURSING': {
          const progress = `${batch.lines.PAID.count} paid, ${batch.lines.FAILED.count} failed, ${batch.lines.PENDING.count + batch.lines.SUBMITTED.count + batch.lines.UNKNOWN.count} in progress`;
          if (progress !== lastProgress && Date.now() - lastProgressAt > 3000) {
            story.log(`    disbursing… ${progress}`);
            lastProgress = progress;
            lastProgressAt = Date.now();
          }
          await sleep(1000);
          continue;
        }
        case 'COMPLETED':
          story.log(`  ✔ completed: ${describeOutcome(batch)}`);
          await logFailures(story, batch);
          return batch;
        default:
          throw new Error(`the batch for ${month} is ${batch.state}, which the story does not expect`);
      }
    } catch (error) {
      if (error instanceof TransientError) {
        await sleep(1000);
        continue;
      }
      if (error instanceof ApiError) {
        switch (error.code) {
          // Someone (a previous attempt whose answer was lost) moved the batch first: look again.
          case 'PAYOUT_BATCH.ILLEGAL_TRANSITION':
          case 'PAYOUT_BATCH.CONCURRENT_CHANGE':
          case 'PAYOUT_BATCH.LINE_ALREADY_IN_BATCH':
            continue;
          // Payments has not heard of the programme, or of any payee, yet.
          case 'PAYOUT_BATCH.UNKNOWN_PROGRAMME':
          case 'PAYOUT_BATCH.NOTHING_TO_PAY':
            story.log(`    payments is not ready for ${month} yet (${error.code}); trying again`);
            await sleep(2000);
            continue;
          case 'PAYOUT_BATCH.INSUFFICIENT_FLOAT':
            await topUpFloat(
              story,
              Number((error.body as { details?: { shortBy?: number } }).details?.shortBy ?? 0),
            );
            continue;
          default:
            break;
        }
      }
      throw error;
    }
  }
}

function describeExclusions(batch: BatchView): string {
  const reasons = Object.entries(batch.excluded.byReason ?? {});
  return reasons.length
    ? ` (${reasons.map(([reason, count]) => `${count} ${reason.toLowerCase().replace(/_/g, ' ')}`).join(', ')})`
    : '';
}

async function logFailures(story: StoryContext, batch: BatchView): Promise<void> {
  if (batch.lines.FAILED.count === 0) return;
  const lines = await listLines(story, batch.id, 'FAILED');
  for (const line of lines)
    story.log(`    failed: line ${line.id.slice(0, 8)}: ${line.reasonCode} — ${line.reason}`);
}

async function topUpFloat(story: StoryContext, shortBy: number): Promise<void> {
  // Not idempotent: on a lost answer, look at the balance rather than top up twice.
  const amount = Math.max(shortBy, 1) + 10_000_000;
  try {
    await story.provider.request('/admin/float', {
      method: 'POST',
      json: { amount: { value: amount, unit: 'XOF' }, note: 'Gao story: float for the stipends' },
      retry: false,
    });
    story.log(`  the merchant float was short by ${formatXof(shortBy)}: topped up by ${formatXof(amount)}`);
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
  }
}

async function listLines(story: StoryContext, batchId: string, status?: string): Promise<LineItem[]> {
  const api = await story.as('payments', PEOPLE.auditor);
  const lines: LineItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: LineItem[]; nextCursor: string | null } = await api.get(
      `/payout-batches/${batchId}/lines?limit=1000${status ? `&status=${status}` : ''}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    lines.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return lines;
}

/** Payments tells each paid student by SMS after the payout; wait until every paid line has had its SMS. */
async function awaitSms(story: StoryContext, batchId: string): Promise<void> {
  const api = await story.as('payments', PEOPLE.auditor);
  await story.waitUntil(`an SMS for every paid line of batch ${batchId}`, async () => {
    const batch = await api.get<BatchView>(`/payout-batches/${batchId}`);
    return batch.smsSent >= batch.lines.PAID.count ? true : undefined;
  });
}

async function reconcileBatches(story: StoryContext, batches: BatchView[]): Promise<void> {
  story.log('');
  story.log(`▶ Reconciliation with the provider's statement (${PEOPLE.approver.sub})`);
  const api = await story.as('payments', PEOPLE.approver);
  for (const batch of batches) {
    // A reconciliation only reads and compares; running it again just records another report.
    const report = await api.post<{ counts: Record<string, number>; mismatches: unknown[] }>(
      '/reconciliations',
      { batchId: batch.id },
    );
    const mismatches = report.mismatches.length;
    story.log(
      `  ${batch.month}: ${report.counts.MATCHED} matched, ${mismatches === 0 ? 'no mismatch' : `${mismatches} MISMATCHES`}`,
    );
  }
}

// --- exams and evaluation ----------------------------------------------------------------------------

interface SessionRef {
  id: string;
  code: string;
  examDate: string;
}

async function ensureExamSession(story: StoryContext): Promise<SessionRef> {
  const code = examSessionCodeOf(story.options.seed);
  story.log('');
  story.log(`▶ National certification exam (evaluator ${PEOPLE.evaluator.sub})`);
  const api = await story.as('exams', PEOPLE.evaluator);
  // The exam comes after the payouts: tomorrow (the cutoff is midnight of the exam day).
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  for (;;) {
    const found = await findExamSession(story, code);
    if (found) {
      story.log(`  ✔ session ${found.code} on ${found.examDate}`);
      return found;
    }
    try {
      await api.post(
        '/exam-sessions',
        {
          code,
          name: "Examen national de certification des infirmiers d'État et sages-femmes",
          examDate: tomorrow,
          cadre: "infirmier d'État / sage-femme",
          scoreScale: 20,
        },
        { accept: [409] },
      );
    } catch (error) {
      if (!(error instanceof TransientError)) throw error;
    }
  }
}

async function findExamSession(story: StoryContext, code: string): Promise<SessionRef | undefined> {
  const api = await story.as('exams', PEOPLE.evaluator);
  for (let offset = 0; ; offset += 500) {
    const page = await api.get<{ items: SessionRef[]; total: number }>(
      `/exam-sessions?limit=500&offset=${offset}`,
    );
    const found = page.items.find((session) => session.code.toLowerCase() === code.toLowerCase());
    if (found) return { id: found.id, code: found.code, examDate: found.examDate };
    if (offset + 500 >= page.total) return undefined;
  }
}

/** The students who sat the exam, and whether the story saw them paid (a PAID line in a batch). */
function sittersOf(
  story: StoryContext,
  students: StudentDirectory,
  paidStudentIds: Set<string>,
): { student: StudentPlan; id: string; recipient: boolean }[] {
  const absent = absentStudent(story.population);
  return story.population.students
    .filter((student) => student.nationalId !== absent.nationalId)
    .map((student) => {
      const id = students.byNationalId.get(student.nationalId)!.id;
      return { student, id, recipient: paidStudentIds.has(id) };
    });
}

async function paidStudentIdsOf(story: StoryContext, batches: BatchView[]): Promise<Set<string>> {
  const paid = new Set<string>();
  for (const batch of batches)
    for (const line of await listLines(story, batch.id, 'PAID')) paid.add(line.studentId);
  return paid;
}

async function importExamResults(
  story: StoryContext,
  session: SessionRef,
  students: StudentDirectory,
  batches: BatchView[],
): Promise<void> {
  const api = await story.as('exams', PEOPLE.evaluator);
  const sitters = sittersOf(story, students, await paidStudentIdsOf(story, batches));
  const draws = new Map(
    drawExamResults(
      story.options.seed,
      sitters.map((sitter) => ({ nationalId: sitter.student.nationalId, recipient: sitter.recipient })),
    ).map((draw) => [draw.nationalId, draw]),
  );
  const rows = sitters
    .map((sitter) => ({
      studentId: sitter.id,
      passed: draws.get(sitter.student.nationalId)!.passed,
      score: draws.get(sitter.student.nationalId)!.score,
    }))
    .sort((a, b) => (a.studentId < b.studentId ? -1 : 1));
  const absent = students.byNationalId.get(absentStudent(story.population).nationalId)!;
  const csv = examResultsCsv(rows, absent.id);
  // The same file for the same session is the same import: a retried upload returns the first one.
  const upload = await api.request<{ id: string; reused?: boolean }>(
    `/exam-result-imports?sessionId=${session.id}`,
    {
      method: 'POST',
      raw: { contentType: 'text/csv; charset=utf-8', data: Buffer.from(csv, 'utf8') },
      headers: { 'x-file-name': `resultats-${session.code}.csv` },
    },
  );
  const done = await story.waitUntil(`the import of the exam results (${upload.body.id})`, async () => {
    const state = await api.get<{
      status: string;
      failureReason: string | null;
      rowsTotal: number;
      rowsRecorded: number;
      rowsCorrected: number;
      rowsUnchanged: number;
      rowsFailed: number;
      errors: { line: number; field: string; problem: string }[];
    }>(`/exam-result-imports/${upload.body.id}`);
    if (state.status === 'failed') throw new Error(`the exam results import failed: ${state.failureReason}`);
    return state.status === 'completed' ? state : undefined;
  });
  story.log(
    `  results uploaded${upload.body.reused ? ' (this very file was uploaded before: the first import stands)' : ''}: ${done.rowsTotal} rows — ` +
      `${done.rowsRecorded} recorded, ${done.rowsCorrected} corrected, ${done.rowsUnchanged} unchanged, ${done.rowsFailed} refused`,
  );
  for (const error of done.errors) story.log(`      line ${error.line}, ${error.field}: ${error.problem}`);
}

/** Waits until exams has heard of every student and payout behind the results, then returns the comparison. */
async function awaitEvaluation(
  story: StoryContext,
  session: SessionRef,
  students: StudentDirectory,
  batches: BatchView[],
): Promise<PassRateEvaluation> {
  const api = await story.as('exams', PEOPLE.evaluator);
  const sitters = sittersOf(story, students, await paidStudentIdsOf(story, batches));
  const recipients = sitters.filter((sitter) => sitter.recipient).length;
  story.log(
    `  waiting for exams to hear of every payout (${recipients} of the ${sitters.length} candidates were paid a stipend)…`,
  );
  const evaluation = await story.waitUntil(
    `the evaluation of ${session.code} to count ${recipients} recipients among ${sitters.length} results`,
    async () => {
      const report = await api.get<PassRateEvaluation>(
        `/evaluations/pass-rates?sessionId=${session.id}&stratifyBy=school`,
      );
      const complete =
        report.completeness.results === sitters.length &&
        report.completeness.resultsWithoutStudent === 0 &&
        report.groups.recipients.n === recipients &&
        report.groups.nonRecipients.n === sitters.length - recipients;
      return complete ? report : undefined;
    },
  );
  story.log(
    `  ✔ evaluation ready: ${evaluation.groups.recipients.n} recipients, ${evaluation.groups.nonRecipients.n} non-recipients`,
  );
  return evaluation;
}

// ---------------------------------------------------------------------------------------------
// The end state
// ---------------------------------------------------------------------------------------------

/**
 * Reads the end state of the story back from the services (as an auditor and the evaluator, and
 * the provider's merchant account) into a summary and the evidence the tests check. It switches the
 * provider's fault injection off first (a restarted provider boots with its configured faults), so
 * the statement and SMS reads are not themselves faulted, and runs a fresh reconciliation per batch.
 */
export async function inspectGaoStory(
  options: GaoStoryOptions,
  extra: { imports?: ImportOutcome[] } = {},
): Promise<Omit<GaoStoryResult, 'evaluation'> & { evaluation: PassRateEvaluation | null }> {
  const story = new StoryContext({ ...options, log: () => undefined });
  const { population } = story;
  const students = await lookUpStudents(story);
  const nationalIdOf = (studentId: string) =>
    students.byId.get(studentId)?.nationalId ?? `student:${studentId}`;

  const eligibility = await story.as('eligibility', PEOPLE.auditor);
  const programmes =
    await eligibility.get<
      { programmeId: string; code: string; firstMonth: string; lastMonth: string; budget: number }[]
    >('/programmes');
  const programme = programmes.find((candidate) => candidate.code === programmeCodeOf(options.seed));
  if (!programme) throw new Error(`programme ${programmeCodeOf(options.seed)} does not exist`);
  const awards = await listAwards(story, programme.programmeId);
  const months = [programme.firstMonth, addMonths(programme.firstMonth, 1)];

  // Batches and their lines.
  const payments = await story.as('payments', PEOPLE.auditor);
  const batches: BatchView[] = [];
  for (const month of months) {
    const batch = await findLiveBatch(story, programme.programmeId, month);
    if (batch) batches.push(batch);
  }
  const linesByBatch = new Map<string, LineItem[]>();
  for (const batch of batches) linesByBatch.set(batch.id, await listLines(story, batch.id));
  const allLines = [...linesByBatch.entries()].flatMap(([batchId, lines]) =>
    lines.map((line) => ({ ...line, month: batches.find((b) => b.id === batchId)!.month })),
  );

  // The provider's statement over the batches' window.
  await story.provider.request('/admin/faults', { method: 'DELETE' });
  const approvals = batches.map((batch) => batch.approvedAt).filter((at): at is string => at !== null);
  const statement: { referenceId: string; status: string; amount: { value: number } }[] = [];
  if (approvals.length > 0) {
    const from = new Date(Math.min(...approvals.map((at) => Date.parse(at))) - 10 * 60_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    let cursor: string | null = null;
    do {
      const page: { items: typeof statement; nextCursor: string | null } = await story.provider.get(
        `/transactions?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      statement.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
  }
  const successes = new Map<string, number>();
  for (const item of statement)
    if (item.status === 'SUCCESS')
      successes.set(item.referenceId.toLowerCase(), (successes.get(item.referenceId.toLowerCase()) ?? 0) + 1);
  const lineIds = new Set(allLines.map((line) => line.id));
  const paidLines = allLines.filter((line) => line.status === 'PAID');
  const failedLines = allLines.filter((line) => line.status === 'FAILED');

  // SMS: each number's messages, matched to lines by reference (the line id).
  const phones = [
    ...new Set(
      allLines.filter((line) => line.status === 'PAID' || line.status === 'FAILED').map((line) => line.phone),
    ),
  ];
  const smsByReference = new Map<string, number>();
  await mapLimit(phones, 8, async (phone) => {
    const { items } = await story.provider.get<{ items: { reference: string | null }[] }>(
      `/sms/outbound?to=${encodeURIComponent(phone)}`,
    );
    for (const sms of items)
      if (sms.reference) smsByReference.set(sms.reference, (smsByReference.get(sms.reference) ?? 0) + 1);
  });

  // Ledger and reconciliation.
  const approverPayments = await story.as('payments', PEOPLE.approver);
  const trial = await approverPayments.get<{
    balanced: boolean;
    total: number;
    unbalancedPostings: unknown[];
    linesOutOfPosition: { count: number };
  }>('/ledger/trial-balance');
  const balance = await payments.get<{
    funded: number;
    remaining: number;
    committed: number;
    inFlight: number;
    paid: number;
    balanced: boolean;
  }>(`/ledger/programmes/${programme.programmeId}/balance`);
  const reconciliations: EndStateChecks['reconciliations'] = [];
  for (const batch of batches.filter((candidate) => candidate.approvedAt)) {
    const report = await payments.post<{ counts: Record<string, number>; mismatches: unknown[] }>(
      '/reconciliations',
      { batchId: batch.id },
    );
    reconciliations.push({
      month: batch.month,
      batchId: batch.id,
      counts: report.counts,
      mismatches: report.mismatches,
    });
  }

  // The evaluation.
  const exams = await story.as('exams', PEOPLE.evaluator);
  const session = await findExamSession(story, examSessionCodeOf(options.seed));
  const evaluation = session
    ? await exams.get<PassRateEvaluation>(`/evaluations/pass-rates?sessionId=${session.id}&stratifyBy=school`)
    : null;
  const counts = (group: { n: number; passed: number }): GroupCount => ({ n: group.n, passed: group.passed });

  const paidPairs = new Map<string, number>();
  for (const line of paidLines)
    paidPairs.set(
      `${line.studentId} ${line.month}`,
      (paidPairs.get(`${line.studentId} ${line.month}`) ?? 0) + 1,
    );

  const imports = extra.imports ?? [];
  const summary: StorySummary = {
    seed: options.seed,
    months,
    schools: SCHOOLS.map((school) => school.code),
    students: {
      planned: population.students.length,
      enrolled: population.students.filter((student) => students.byNationalId.has(student.nationalId)).length,
      rejectedRows: population.badRows.filter((row) => !students.byNationalId.has(row.nationalId)).length,
    },
    awarded: sorted(
      awards.filter((award) => award.status === 'active').map((award) => nationalIdOf(award.studentId)),
    ),
    payouts: {
      paid: sorted(paidLines.map((line) => `${nationalIdOf(line.studentId)} ${line.month} ${line.amount}`)),
      failed: sorted(
        failedLines.map((line) => `${nationalIdOf(line.studentId)} ${line.month} ${line.reasonCode}`),
      ),
      excluded: sorted(
        batches.flatMap((batch) =>
          batch.excluded.items.map((item) => `${nationalIdOf(item.studentId)} ${batch.month} ${item.reason}`),
        ),
      ),
    },
    batches: batches.map((batch) => ({
      month: batch.month,
      state: batch.state,
      lines: batch.lineCount,
      paid: batch.lines.PAID.count,
      failed: batch.lines.FAILED.count,
      paidAmount: batch.lines.PAID.amount,
      excluded: batch.excludedCount,
    })),
    sms: paidLines.reduce((sum, line) => sum + (smsByReference.get(line.id) ?? 0), 0),
    ledger: {
      funded: balance.funded,
      remaining: balance.remaining,
      committed: balance.committed,
      inFlight: balance.inFlight,
      paid: balance.paid,
      balanced: balance.balanced,
      trialBalanced: trial.balanced,
    },
    reconciliation: reconciliations.map((report) => ({
      month: report.month,
      matched: report.counts.MATCHED ?? 0,
      mismatches: report.mismatches.length,
    })),
    evaluation: evaluation
      ? {
          results: evaluation.completeness.results,
          resultsWithoutStudent: evaluation.completeness.resultsWithoutStudent,
          recipients: counts(evaluation.groups.recipients),
          nonRecipients: counts(evaluation.groups.nonRecipients),
          strata: (
            evaluation.strata.strata as { label: string; recipients: GroupCount; nonRecipients: GroupCount }[]
          )
            .map((stratum) => ({
              label: stratum.label,
              recipients: counts(stratum.recipients),
              nonRecipients: counts(stratum.nonRecipients),
            }))
            .sort((a, b) => (a.label < b.label ? -1 : 1)),
        }
      : {
          results: 0,
          resultsWithoutStudent: 0,
          recipients: { n: 0, passed: 0 },
          nonRecipients: { n: 0, passed: 0 },
          strata: [],
        },
  };

  const checks: EndStateChecks = {
    paidLinesWithoutExactlyOneSuccess: paidLines
      .filter((line) => (successes.get(line.id) ?? 0) !== 1)
      .map((line) => ({ lineId: line.id, successes: successes.get(line.id) ?? 0 })),
    failedLinesWithSuccess: failedLines
      .filter((line) => (successes.get(line.id) ?? 0) > 0)
      .map((line) => line.id),
    unknownReferences: statement
      .filter((item) => !lineIds.has(item.referenceId.toLowerCase()))
      .map((item) => ({ referenceId: item.referenceId, status: item.status })),
    paidTwice: [...paidPairs.entries()].filter(([, count]) => count > 1).map(([pair]) => pair),
    openLines: allLines
      .filter((line) => ['PENDING', 'SUBMITTED', 'UNKNOWN'].includes(line.status))
      .map((line) => `${line.id} ${line.status}`),
    smsProblems: [
      ...paidLines
        .filter((line) => (smsByReference.get(line.id) ?? 0) !== 1)
        .map((line) => `paid line ${line.id}: ${smsByReference.get(line.id) ?? 0} SMS`),
      ...failedLines
        .filter((line) => (smsByReference.get(line.id) ?? 0) > 0)
        .map((line) => `failed line ${line.id}: ${smsByReference.get(line.id)} SMS`),
    ],
    trialBalance: {
      balanced: trial.balanced,
      total: trial.total,
      unbalancedPostings: trial.unbalancedPostings.length,
      linesOutOfPosition: trial.linesOutOfPosition.count,
    },
    reconciliations,
  };

  const examsBase = options.urls.exams;
  const query = session ? `sessionId=${session.id}&stratifyBy=school` : '';
  return {
    summary,
    checks,
    imports,
    evaluation,
    links: {
      chartSvg: `${examsBase}/api/v1/evaluations/pass-rates.svg?${query}`,
      csv: `${examsBase}/api/v1/evaluations/pass-rates.csv?${query}`,
      json: `${examsBase}/api/v1/evaluations/pass-rates?${query}`,
    },
    programme: {
      id: programme.programmeId,
      code: programme.code,
      firstMonth: programme.firstMonth,
      lastMonth: programme.lastMonth,
    },
    examSession: session ?? { id: '', code: examSessionCodeOf(options.seed), examDate: '' },
  };
}

// ---------------------------------------------------------------------------------------------
// The expectation, from the seed alone
// ---------------------------------------------------------------------------------------------

/**
 * The summary a correct system reaches for this seed, whatever faults or crashes happened on the
 * way: every eligible student with a phone and an unblocked wallet paid once per month, the blocked
 * ones failed with PAYEE_BLOCKED, students without a phone excluded, one SMS per payout, the ledger
 * balanced with the payouts as paid, reconciliation clean, and the exam results as drawn.
 */
export function expectedGaoSummary(input: {
  seed: number;
  students: number;
  months: string[];
  today?: Date;
}): StorySummary {
  const population = planPopulation(input.seed, input.students, input.today ?? new Date());
  const eligible = population.students.filter(isEligible);
  const blocked = new Set(blockedStudents(population).map((student) => student.nationalId));
  const paidStudents = eligible.filter(
    (student) => student.phone !== null && !blocked.has(student.nationalId),
  );
  const failedStudents = eligible.filter(
    (student) => student.phone !== null && blocked.has(student.nationalId),
  );
  const noPhone = eligible.filter((student) => student.phone === null);
  const budget = MONTHLY_STIPEND * PROGRAMME_MONTHS * input.students;
  const paidAmount = paidStudents.length * MONTHLY_STIPEND;

  const absent = absentStudent(population);
  const paid = new Set(paidStudents.map((student) => student.nationalId));
  const sitters = population.students.filter((student) => student.nationalId !== absent.nationalId);
  const draws = new Map(
    drawExamResults(
      input.seed,
      sitters.map((student) => ({ nationalId: student.nationalId, recipient: paid.has(student.nationalId) })),
    ).map((draw) => [draw.nationalId, draw]),
  );
  const tally = (group: StudentPlan[]): GroupCount => ({
    n: group.length,
    passed: group.filter((student) => draws.get(student.nationalId)!.passed).length,
  });
  const strata = SCHOOLS.map((school) => {
    const own = sitters.filter((student) => student.schoolCode === school.code);
    return {
      label: school.code,
      recipients: tally(own.filter((student) => paid.has(student.nationalId))),
      nonRecipients: tally(own.filter((student) => !paid.has(student.nationalId))),
    };
  }).sort((a, b) => (a.label < b.label ? -1 : 1));

  return {
    seed: input.seed,
    months: input.months,
    schools: SCHOOLS.map((school) => school.code),
    students: {
      planned: population.students.length,
      enrolled: population.students.length,
      rejectedRows: population.badRows.length,
    },
    awarded: sorted(eligible.map((student) => student.nationalId)),
    payouts: {
      paid: sorted(
        input.months.flatMap((month) =>
          paidStudents.map((student) => `${student.nationalId} ${month} ${MONTHLY_STIPEND}`),
        ),
      ),
      failed: sorted(
        input.months.flatMap((month) =>
          failedStudents.map((student) => `${student.nationalId} ${month} PAYEE_BLOCKED`),
        ),
      ),
      excluded: sorted(
        input.months.flatMap((month) => noPhone.map((student) => `${student.nationalId} ${month} NO_PHONE`)),
      ),
    },
    batches: input.months.map((month) => ({
      month,
      state: 'COMPLETED',
      lines: paidStudents.length + failedStudents.length,
      paid: paidStudents.length,
      failed: failedStudents.length,
      paidAmount,
      excluded: noPhone.length,
    })),
    sms: paidStudents.length * input.months.length,
    ledger: {
      funded: budget,
      remaining: budget - paidAmount * input.months.length,
      committed: 0,
      inFlight: 0,
      paid: paidAmount * input.months.length,
      balanced: true,
      trialBalanced: true,
    },
    reconciliation: input.months.map((month) => ({
      month,
      matched: paidStudents.length + failedStudents.length,
      mismatches: 0,
    })),
    evaluation: {
      results: sitters.length,
      resultsWithoutStudent: 0,
      recipients: tally(sitters.filter((student) => paid.has(student.nationalId))),
      nonRecipients: tally(sitters.filter((student) => !paid.has(student.nationalId))),
      strata,
    },
  };
}
