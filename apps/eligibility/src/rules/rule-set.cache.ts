import { Injectable } from '@nestjs/common';
import { CompiledRuleSet } from './compiled-rule-set';
import type { RuleSet } from './rule-set';

const MAX_ENTRIES = 64;

/** One compiled rule set (one json-rules-engine Engine) per programme rules version, reused for every student. */
@Injectable()
export class RuleSetCache {
  private readonly entries = new Map<string, CompiledRuleSet>();

  get(programme: { programmeId: string; rulesVersion: number; rules: RuleSet }): CompiledRuleSet {
    const key = `${programme.programmeId}:${programme.rulesVersion}`;
    let compiled = this.entries.get(key);
    if (!compiled) {
      compiled = new CompiledRuleSet(programme.rules);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, compiled);
    }
    return compiled;
  }
}
