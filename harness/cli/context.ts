/** What a command may do to the outside world; tests pass their own to capture output. */
export interface CommandContext {
  out(line: string): void;
  err(line: string): void;
  /** the process exit code the CLI will set; only main() applies it */
  exitCode: number;
}
