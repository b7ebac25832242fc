/**
 * Where a Piscina worker's code is: `<name>.js` beside the calling module when running the built
 * server; from source (vitest, tsx) `<name>.ts`, loaded through tsx with the `@lexforum/source`
 * condition, so a worker runs the same code as the tests see.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export function workerOptions(name: string, callerUrl: string): { filename: string; execArgv: string[] } {
  const fromSource = callerUrl.endsWith('.ts');
  return {
    filename: new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl).href,
    execArgv: fromSource ? sourceExecArgv() : [],
  };
}

/** Node flags that let a worker load TypeScript source, resolving our packages to their source. */
function sourceExecArgv(): string[] {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--conditions=@lexforum/source', '--import', tsx];
}
