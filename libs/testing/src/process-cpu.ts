import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** One process as /proc shows it (Linux). */
export interface ProcessCpu {
  pid: number;
  parentPid: number;
  command: string;
  /** user + system CPU time used so far, in ms */
  cpuMs: number;
}

/** Every process's CPU time so far, from /proc; empty where there is no /proc. */
export function processTable(): ProcessCpu[] {
  if (!existsSync('/proc/self/stat')) return [];
  const table: ProcessCpu[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // After "pid (comm) ": state, ppid, …; utime and stime are the 12th and 13th, in clock ticks.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({
        pid: Number(entry),
        parentPid: Number(fields[1]),
        command,
        cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100,
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return table;
}

/** CPU ms of a process and all its descendants (a service and its cluster workers). */
export function processTreeCpuMs(rootPid: number | undefined, table = processTable()): number {
  if (!rootPid) return 0;
  const children = new Map<number, ProcessCpu[]>();
  for (const entry of table) children.set(entry.parentPid, [...(children.get(entry.parentPid) ?? []), entry]);
  let total = 0;
  const pending = table.filter((entry) => entry.pid === rootPid);
  while (pending.length > 0) {
    const next = pending.pop()!;
    total += next.cpuMs;
    pending.push(...(children.get(next.pid) ?? []));
  }
  return total;
}

/** CPU ms of every PostgreSQL server process on this machine. */
export function postgresCpuMs(table = processTable()): number {
  return table.filter((entry) => entry.command === 'postgres').reduce((sum, entry) => sum + entry.cpuMs, 0);
}
