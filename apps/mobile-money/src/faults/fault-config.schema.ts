import { z } from 'zod';

/**
 * The fault-injection configuration, as `MOBILE_MONEY_FAULTS` (JSON) at boot or `PUT /admin/faults`.
 * A `global` profile applies to every provider request; `msisdns` holds per-phone-number overrides
 * (merged field by field over the global profile) for the requests and callbacks about that number.
 */
const rate = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const milliseconds = z.number().int('must be a whole number of milliseconds').min(0).max(600_000);

export const latencySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), ms: milliseconds }).strict(),
  z
    .object({ kind: z.literal('uniform'), minMs: milliseconds, maxMs: milliseconds })
    .strict()
    .refine((value) => value.minMs <= value.maxMs, {
      message: 'minMs must not exceed maxMs',
      path: ['minMs'],
    }),
  z.object({ kind: z.literal('normal'), meanMs: milliseconds, stdDevMs: milliseconds }).strict(),
]);
export type LatencyDistribution = z.infer<typeof latencySchema>;

export const callbackFaultsSchema = z
  .object({
    /** Share of final callbacks never sent. */
    dropRate: rate.optional(),
    /** Share of final callbacks sent twice. */
    duplicateRate: rate.optional(),
    /** Extra wait before a final callback is first sent (a latency distribution). */
    delay: latencySchema.optional(),
    /** Shorthand for `delay: { kind: "fixed", ms: delayMs }` (`delay` wins when both are set). */
    delayMs: milliseconds.optional(),
    /**
     * Share of cash-ins whose callback comes "early": with `earlyKind: "final"` the SUCCESS/FAILED
     * callback is sent while `GET /cashins/{referenceId}` still answers PENDING for `earlyLagMs`;
     * with `earlyKind: "pending"` a premature PENDING callback is sent at acceptance.
     */
    earlyRate: rate.optional(),
    earlyKind: z.enum(['final', 'pending']).optional(),
    earlyLagMs: milliseconds.optional(),
  })
  .strict();
export type CallbackFaults = z.infer<typeof callbackFaultsSchema>;

export const faultProfileSchema = z
  .object({
    latency: latencySchema.optional(),
    /** Share of requests whose answer never comes in time (the work is still done). */
    timeoutRate: rate.optional(),
    /** `hang`: the answer is held for `hangMs`; `reset`: the connection is destroyed. */
    timeoutMode: z.enum(['hang', 'reset']).optional(),
    hangMs: milliseconds.optional(),
    /** Share of requests answered 500. */
    errorRate: rate.optional(),
    /** `before`: nothing is done; `after`: the work is done and committed, then 500 (the ambiguous case). */
    errorPhase: z.enum(['before', 'after', 'random']).optional(),
    /** Time a cash-in stays PENDING before it completes (overrides MOBILE_MONEY_PROCESSING_DELAY_MS). */
    processingDelayMs: milliseconds.optional(),
    callbacks: callbackFaultsSchema.optional(),
  })
  .strict();
export type FaultProfile = z.infer<typeof faultProfileSchema>;

export const outageWindowSchema = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .strict()
  .refine((window) => Date.parse(window.from) < Date.parse(window.to), {
    message: 'from must be before to',
    path: ['to'],
  });

const e164Mali = z.string().regex(/^\+223\d{8}$/, 'must be an E.164 Mali number (+223 and eight digits)');

export const faultConfigSchema = z
  .object({
    /** Seed of the pseudo-random stream: the same seed and the same sequence of requests give the same faults. */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    global: faultProfileSchema.optional(),
    msisdns: z.record(e164Mali, faultProfileSchema).optional(),
    /** Above this many requests per second (all provider endpoints together), answer 429 with Retry-After. */
    rateLimit: z
      .object({
        requestsPerSecond: z.number().int().min(1).max(1_000_000),
        retryAfterSeconds: z.number().int().min(1).max(3600).optional(),
      })
      .strict()
      .optional(),
    /** Manual switch: while true every provider endpoint answers 503. */
    outage: z.boolean().optional(),
    /** Windows of time when every provider endpoint answers 503. */
    outages: z.array(outageWindowSchema).max(100).optional(),
  })
  .strict();
export type FaultConfig = z.infer<typeof faultConfigSchema>;

/** Parses `MOBILE_MONEY_FAULTS`: empty means no faults. */
export const faultConfigFromEnv = z
  .string()
  .default('')
  .transform((text, context) => {
    if (text.trim() === '') return {} as FaultConfig;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      context.addIssue({
        code: 'custom',
        message: 'must be JSON (see apps/mobile-money/README.md, "Fault injection")',
      });
      return z.NEVER;
    }
    const result = faultConfigSchema.safeParse(parsed);
    if (!result.success) {
      for (const issue of result.error.issues) {
        context.addIssue({
          code: 'custom',
          message: `${issue.path.join('.') || '(root)'}: ${issue.message}`,
        });
      }
      return z.NEVER;
    }
    return result.data;
  });
