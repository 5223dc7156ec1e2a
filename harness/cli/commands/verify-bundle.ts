import type { Command } from 'commander';
import { verifyBundle } from '../../qualify/verify';
import type { CommandContext } from '../context';

/** `a8w8 verify-bundle DIR`: exit 0 when the bundle is intact and consistent, 1 on any problem. */
export function registerVerifyBundle(program: Command, ctx: CommandContext): void {
  program
    .command('verify-bundle')
    .description('check a qualification bundle: hashes, files, and the verdict against its records')
    .argument('<dir>', 'the bundle directory qualify wrote')
    .action((dir: string) => {
      const check = verifyBundle(dir);
      for (const p of check.problems) ctx.out(`${p.kind.toUpperCase()} ${p.path}: ${p.detail}`);
      for (const w of check.warnings) ctx.err(`a8w8 verify-bundle: warning: ${w}`);
      const sha = check.manifestSha256 ? ` (MANIFEST.json sha256 ${check.manifestSha256})` : '';
      ctx.out(check.ok
        ? `bundle ${dir}: OK, verdict ${check.verdict}${sha}`
        : `bundle ${dir}: ${check.problems.length} problem(s)${check.verdict ? `; verdict.json says ${check.verdict}` : ''}${sha}`);
      ctx.exitCode = check.ok ? 0 : 1;
    });
}
