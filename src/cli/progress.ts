/** A progress bar on stderr for long imports; silent when stderr is not a terminal (CI, pipes). */
import cliProgress from 'cli-progress';

export function createProgress(): { update: (stage: 'read' | 'write', done: number, total?: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: ' {stage} |{bar}| {value}/{total} rows', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(stage, done, total) {
      if (!started) {
        bar.start(total ?? done, done, { stage });
        started = true;
      }
      if (total !== undefined) bar.setTotal(total);
      else if (done > bar.getTotal()) bar.setTotal(done);
      bar.update(done, { stage });
    },
    stop: () => started && bar.stop(),
  };
}
