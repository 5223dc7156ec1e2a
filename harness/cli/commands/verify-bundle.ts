import type { Command } from 'commander';
import { verifyBundle } from '../../qualify/verify';
import type { CommandContext } from '../context';

/**
 * `a8w8 verify-bundle DIR`: exit 0 when the bundle is intact and consistent, 1 on any problem.
 * `--require-qualified` also fails a sound bundle whose verdict is not `qualified` (for release gates),
 * or, with `--allow-eager-only`, neither `qualified` nor `qualified-eager-only`;
 * `--manifest-sha256 HEX` pins the manifest to the hash recorded out of band when it was handed over.
 */
export function registerVerifyBundle(program: Command, ctx: CommandContext): void {
  program
    .command('verify-bundle')
    .description('check a qualification bundle: hashes, files, and the verdict against its records')
    .argument('<dir>', 'the bundle directory qualify wrote')
    .option('--require-qualified', 'also fail unless the verdict is qualified')
    .option('--allow-eager-only', 'with --require-qualified: also accept a bundle qualified for eager mode only (graph mode could not run on the host)')
    .option('--manifest-sha256 <hex>', 'the sha256 of MANIFEST.json recorded when the bundle was handed over')
    .action((dir: string, opts: { requireQualified?: boolean; allowEagerOnly?: boolean; manifestSha256?: string }) => {
      const check = verifyBundle(dir);
      if (opts.manifestSha256 && check.manifestSha256 !== opts.manifestSha256.toLowerCase()) {
        check.problems.push({ kind: 'modified', path: 'MANIFEST.json', detail: `sha256 ${check.manifestSha256 ?? 'unreadable'}, expected ${opts.manifestSha256}` });
        check.ok = false;
      }
      const accepted = opts.allowEagerOnly ? ['qualified', 'qualified-eager-only'] : ['qualified'];
      if (opts.requireQualified && check.ok && !accepted.includes(check.verdict ?? '')) {
        const eager = check.verdict === 'qualified-eager-only' ? '; --allow-eager-only accepts a qualification for eager mode' : '';
        check.problems.push({
          kind: 'not-qualified', path: 'verdict.json',
          detail: `the bundle is sound but its verdict is ${check.verdict ?? 'missing'}, not ${accepted.join(' or ')} (--require-qualified${eager})`,
        });
        check.ok = false;
      }
      for (const p of check.problems) ctx.out(`${p.kind.toUpperCase()} ${p.path}: ${p.detail}`);
      for (const w of check.warnings) ctx.err(`a8w8 verify-bundle: warning: ${w}`);
      const sha = check.manifestSha256 ? ` (MANIFEST.json sha256 ${check.manifestSha256})` : '';
      ctx.out(check.ok
        ? `bundle ${dir}: OK, verdict ${check.verdict}${sha}`
        : `bundle ${dir}: ${check.problems.length} problem(s)${check.verdict ? `; verdict.json says ${check.verdict}` : ''}${sha}`);
      ctx.exitCode = check.ok ? 0 : 1;
    });
}
