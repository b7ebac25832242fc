/** What both benches read from /proc and how they print: one process's CPU and memory, a table. */
import { readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used so far, in milliseconds, and its resident memory. */
export function processUsage(pid: number): { cpuMs: number; rssBytes: number } {
  // Fields after the command name, which is in parentheses and may contain spaces (proc(5)).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS, rssBytes: Number(fields[21]) * 4096 };
}

/** A Markdown table: the first column left-aligned, the others right-aligned. */
export function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}
