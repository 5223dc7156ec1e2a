import { SingleBar, Presets } from 'cli-progress';

/** A progress bar on stderr (terminals only): cases done, and the count of each outcome so far. */
export function progressReporter(total: number): { tick(status: string): void; interrupt(): void; stop(): void } {
  const counts: Record<string, number> = {};
  const bar = new SingleBar({
    format: ' {bar} {value}/{total} {counts}', stream: process.stderr, hideCursor: true, clearOnComplete: true,
  }, Presets.shades_classic);
  bar.start(total, 0, { counts: '' });
  const counted = (): string => Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(' ');
  return {
    tick(status) {
      counts[status] = (counts[status] ?? 0) + 1;
      bar.increment(1, { counts: counted() });
    },
    interrupt() {
      process.stderr.write('\r\x1b[K');
    },
    stop() {
      bar.stop();
    },
  };
}
