import type { Command } from 'commander';
import { DEFAULT_TIMEOUT_MS } from '../../run/session';
import { DEFAULT_SHRINK_COUNT } from '../../forensics/run-shrink';
import { DEFAULT_SHRINK_BUDGET } from '../../forensics/shrink';
import type { CommandContext } from '../context';
import { collect, SPEC_OPTION } from '../options';
import { ALL_DEVICES_HELP, runFromOptions, type RunOptions } from '../run-options';

/** `a8w8 run`: every case on the kernel under test and on the reference; results.jsonl as they come. */
export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command('run')
    .description('run the cases on a backend, judge them against the reference, write results.jsonl')
    .option(...SPEC_OPTION)
    .option('--backend <name|path>', 'torch-npu, onnxruntime, or a plugin module path (default: detected, A8W8_BACKEND overrides)')
    .option('--product <id|auto>', 'the Atlas product (auto: from the device, else atlas-a2)', 'auto')
    .option('--profile <name>', 'smoke or full; smoke because run is for CI on every change (full is for qualification)', 'smoke')
    .option('--out <dir>', 'output directory', 'reports/run')
    .option('--case <id>', 'only this case (repeatable)', collect)
    .option('--seed <n>', 'run seed', '0')
    .option('--grep <re>', 'only case ids matching')
    .option('--tag <tag>', 'only cases with this tag (repeatable)', collect)
    .option('--shard <i/N>', 'only the i-th of N shards')
    .option('--save <mode>', 'save cases with their inputs, output and admissible answers as .npy under <out>/cases: failures (unexpected outcomes), all or none', 'failures')
    .option('--shrink [n]', `after the run, shrink its first n unexpected cases (${DEFAULT_SHRINK_COUNT} when n is not given) to the smallest that fail the same way; report in <out>/shrunk.json`)
    .option('--shrink-budget <n>', 'kernel calls at most per shrunk case, its first re-run included', String(DEFAULT_SHRINK_BUDGET))
    .option('--resume', 'skip cases already recorded in <out>/results.jsonl')
    .option('--retries <n>', 're-run cases that ended error or timeout', '0')
    .option('--timeout <ms>', 'per-case timeout', String(DEFAULT_TIMEOUT_MS))
    .option('--devices <list|all>', ALL_DEVICES_HELP, '0')
    .option('--expectations <file>', 'expectation file (default: expectations/<backend>.yml if present)')
    .option('--reference <impl>', 'native or twin (default: native, twin if the addon is missing)')
    .option('--pin <key=value>', 'pin an unsettled behaviour, e.g. fp16Overflow=inf (repeatable)', collect)
    .option('--backend-opt <key=value>', 'backend option, e.g. timing=always (repeatable)', collect)
    .option('--no-progress', 'no progress bar')
    .action(async (opts: RunOptions) => {
      ctx.exitCode = (await runFromOptions(opts, ctx, process.argv.slice(2))).exitCode;
    });
}
