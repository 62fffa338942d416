// The command-line face of the engine: lint subjects in CI with the same rules as the editor.
import { parseArgs } from 'node:util';
import { algebraJsonSchema, isValidPattern, join, meet, subset } from '../core';
import { resolveAlgebra } from './algebraOption';
import { backupCommand } from './backup';
import { checkSubjects, formatCheck } from './check';
import { coverage } from './coverage';
import { exportCommand } from './exportCommand';
import { findCommand } from './find';
import { importCommand } from './importCommand';
import { initStreams } from './initStreams';
import { formatLint, lintJson, lintPaths } from './lint';
import { restoreCommand } from './restore';
import { runCommand } from './run';
import { smokeCommand } from './smoke';
import { historyCommand, traceCommand } from './trace';
import { HELP, UsageError, type Io } from './usage';

export type { Io } from './usage';
type Env = Readonly<Record<string, string | undefined>>;

const OPTIONS = {
  pattern: { type: 'boolean' },
  json: { type: 'boolean' },
  'no-style': { type: 'boolean' },
  algebra: { type: 'string' },
  preset: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one command; `env` gives the NATS commands their NATS_* defaults. */
export async function run(argv: string[], io: Io, env: Env = process.env): Promise<number> {
  try {
    return await dispatch(argv, io, env);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const msg = (e as Error).message.split('\n')[0]!;
      const unknown = /Unknown option '([^']+)'/.exec(msg);
      io.err(`cim-nats: ${unknown ? `unknown option ${unknown[1]}` : msg} (see cim-nats --help)`);
      return 2;
    }
    throw e;
  }
}

async function dispatch(argv: string[], io: Io, env: Env): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return command ? 0 : 2;
  }
  // NATS commands take the connection flags, which the offline commands' options do not know.
  if (command === 'init-streams') return initStreams(rest, io, env);
  if (command === 'coverage') return coverage(rest, io, env);
  if (command === 'export') return exportCommand(rest, io, env);
  if (command === 'import') return importCommand(rest, io, env);
  if (command === 'run') return runCommand(rest, io, env);
  if (command === 'smoke') return smokeCommand(rest, io, env);
  if (command === 'find') return findCommand(rest, io, env);
  if (command === 'trace') return traceCommand(rest, io, env);
  if (command === 'history') return historyCommand(rest, io, env);
  if (command === 'backup') return backupCommand(rest, io, env);
  if (command === 'restore') return restoreCommand(rest, io, env);
  const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const errorsIn = (ps: { severity: string }[]) => ps.some(p => p.severity === 'error');
  switch (command) {
    case 'check': {
      if (!positionals.length) throw new UsageError('check needs at least one SUBJECT');
      const algebra = resolveAlgebra(values.algebra, values.preset, io.err);
      const reports = checkSubjects(algebra, positionals, { pattern: values.pattern ?? false, style: !values['no-style'] });
      if (values.json) io.out(JSON.stringify(reports, null, 2));
      else formatCheck(reports).forEach(l => io.out(l));
      return reports.some(r => errorsIn(r.problems)) ? 1 : 0;
    }
    case 'lint': {
      if (!positionals.length) throw new UsageError('lint needs at least one PATH');
      if (values.pattern) throw new UsageError('--pattern is for check; lint checks literals with wildcards as patterns by itself');
      const algebra = resolveAlgebra(values.algebra, values.preset, io.err);
      const reports = lintPaths(algebra, positionals, { style: !values['no-style'], warn: io.err });
      if (values.json) io.out(JSON.stringify(lintJson(reports), null, 2));
      else formatLint(reports).forEach(l => io.out(l));
      return reports.some(r => r.findings.some(f => errorsIn(f.problems))) ? 1 : 0;
    }
    case 'join':
    case 'meet':
    case 'subset': {
      if (positionals.length !== 2) throw new UsageError(`${command} needs exactly two patterns P Q`);
      const [p, q] = positionals as [string, string];
      for (const x of [p, q]) if (!isValidPattern(x)) throw new UsageError(`"${x}" is not a valid pattern: no empty tokens or whitespace, > only last`);
      if (command === 'join') io.out(join(p, q));
      else if (command === 'meet') io.out(meet(p, q) ?? 'none');
      else io.out(String(subset(p, q)));
      return 0;
    }
    case 'schema':
      io.out(JSON.stringify(algebraJsonSchema(), null, 2));
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

if (require.main === module) {
  void run(process.argv.slice(2), { out: l => console.log(l), err: l => console.error(l) }).then(code => {
    process.exitCode = code;
  });
}
