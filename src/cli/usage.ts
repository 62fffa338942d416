// Usage errors exit 2 with one line; the help text lists every command.
export class UsageError extends Error {}

/** Where a command prints: results to `out`, warnings and errors to `err`. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The flags of connectionFlags.ts, shared by every command that talks to a server. */
export const CONNECTION_HELP = `Connection (defaults from NATS_URL, NATS_USER, NATS_PASS, NATS_TOKEN, NATS_CREDS, NATS_NKEY, NATS_JS_DOMAIN, CIM_ENVIRONMENT):
  --server URL         nats://host:4222, tls://host:4443; several comma-separated (or repeated) for a cluster
  --user U             log in as U; the password comes from --password-env or NATS_PASS
  --password-env VAR   read the password from environment variable VAR (never a password on the command line)
  --token-env VAR      log in with the token in environment variable VAR
  --creds FILE         a .creds file (user JWT and seed)
  --nkey FILE          an NKey seed file
  --tls-ca FILE        a CA to trust; --tls-cert FILE --tls-key FILE for mutual TLS
  --js-domain D        the JetStream domain to address ($JS.D.API), e.g. cim
  --env ENV            the algebra environment the server serves (dev, staging, prod)`;

export const HELP = `cim-nats — check NATS subjects against the CIM subject algebra, and set up the CIM streams on a server

Usage:
  cim-nats check [--pattern] [--json] [--no-style] [--algebra FILE | --preset ID] SUBJECT...
  cim-nats lint  [--json] [--no-style] [--algebra FILE | --preset ID] PATH...
  cim-nats join    P Q      the most specific pattern matching both (⊔)
  cim-nats meet    P Q      the intersection of two patterns, or "none" (⊓)
  cim-nats subset  P Q      "true" when every subject P matches, Q matches too (⊑), else "false"
  cim-nats schema           print the JSON schema of algebra files
  cim-nats init-streams [CONNECTION] --env ENV [--replicas N] [--scope environment|all] [--no-profile]
                        [--dry-run] [--json] [--algebra FILE | --preset ID] DOMAIN...
                            plan the CIM streams of the domains on a server, print the plan, create and update them
  cim-nats coverage [CONNECTION] [--json] [--env ENV] [--domain D] [--algebra FILE | --preset ID] PATH...
                            which stream stores each subject in the files; without --server (or NATS_URL) the algebra's layout
  cim-nats export [CONNECTION] [--filter SUBJECT] [--from-seq N | --since TIME] [-o FILE.jsonl] STREAM
                            a stream's messages as JSON lines (stdout, or FILE with FILE.stream.json beside it)
  cim-nats import [CONNECTION] [--stream NAME] [--new-ids] [--create] [--skip-broken] FILE.jsonl
                            publish exported messages again under their message ids (- reads stdin)
  cim-nats run [CONNECTION] [--block TITLE | --line N] [--for DURATION] [--yes] [--json] FILE.nats
                            send a playbook's PUB and REQ blocks in order (stream, seq, duplicate); SUB blocks for --for (5s)
  cim-nats smoke [CONNECTION] --env ENV [--json] DOMAIN...
                            publish one sample per category, check each landed in the stream the algebra names, prove dedupe
  cim-nats find [CONNECTION] [--stream S]... [--filter SUBJECT] [--since T] [--until T] [--from-seq N] [--to-seq N]
                [--where CEL] [--limit N] [--max-scanned N] [--json] [STREAM]
                            messages matching a CEL expression, across every stream the filter reaches, merged by time
  cim-nats trace [CONNECTION] [--window 15m] [--around TIME] [--stream S]... [--json] CORRELATION_ID
                            the causation tree of a correlation: commands, events, sagas, projections, snapshots
  cim-nats history [CONNECTION] --env ENV [--json] DOMAIN AGGREGATE AGGREGATE_ID
                            an aggregate's events in order after its latest snapshot, with version checks
  cim-nats backup [CONNECTION] [--no-consumers] [--check] STREAM DIR
                            a stream kept whole (sequences, times, consumers and their positions) in DIR, as
                            \`nats stream backup\` lays it out (backup.json and stream.arc.s2, or stream.tar.s2 before 2.15)
  cim-nats restore [CONNECTION] DIR
                            the stream of a backup brought back as it was; refused when the stream exists

Options:
  --pattern       check subjects as subscription / stream-filter patterns (wildcards allowed)
  --json          print a JSON array, one entry per subject
  --no-style      leave out style warnings (past tense, imperative, * environment)
  --algebra FILE  an algebra description (default: .cim/algebra.json when it exists)
  --preset ID     a built-in algebra: cim-start (default) or cim-subject
  --              ends the options

init-streams:
  --dry-run       print the plan and change nothing
  --replicas N    replicas for every stream (default: the environment's profile; 3 in prod on a cluster)
  --scope S       environment (default: dev.domain.sales.>) or all (*.domain.sales.>, refused by nats-server 2.11+)
  --no-profile    the algebra's stream table as it is, without the environment's retention, storage and replicas
  --json          print the plan and the results as JSON

export and import:
  --filter S      only the messages on subject or pattern S
  --from-seq N    start at sequence N; --since TIME starts at a time (10m, 2h, 1d ago or an ISO time)
  -o FILE         write FILE (and FILE's base name + .stream.json, the stream's configuration) instead of stdout
  --stream NAME   import into NAME (default: the .stream.json's name, else the stream of the first subject)
  --create        create a missing stream from FILE's .stream.json
  --new-ids       publish under fresh message ids (the original kept in X-Original-Msg-Id), e.g. right after a purge
  --skip-broken   pass over lines that are no message (default: stop at the first)

run:
  --block TITLE   only the block whose ### line says TITLE; --line N only the block holding line N
  --for D         how long SUB blocks collect messages (default 5s), while the blocks after them run
  --yes           publish to production subjects (prod.…) too; without it they are not sent
  exit 1 when a block failed or a message was not kept (an interest stream with no interested consumer)

smoke:
  an interest stream is checked with a short-lived consumer holding interest (deleted after); where the account may
  not create one, the row says WARN and names the permission; exit 1 only when a check failed, not on warnings

find:
  --where CEL     a CEL expression over each message: subject, tokens, seq, time, headers, size, event (the JSON
                  payload, null when not JSON), stream; e.g. event.data.customer_id == "123" && size > 1024
  --since/--until a time range (10m, 2h, 1d ago or an ISO time); --from-seq/--to-seq a sequence range
  --limit N       stop after N matches (default 500); --max-scanned N stop after N messages read (default 100000)
  --json          one JSON line per match (the export format); the summary goes to stderr
  exit 0 with matches, 1 with none, 2 on a usage or expression error (said with its column)

trace and history:
  --window W      how far before and after the origin to look (default 15m); --around TIME the origin (default now)
  --stream S      read S too (besides the streams the algebra names)
  --json          the tree (or the history) as JSON: each node with its ids, stream, seq, subject, time and children
  trace exits 1 when a cause was not found in the streams and window searched (the output says whether the cause
  may lie before the window); history exits 1 on a gap, a repeated version or a version going back

backup and restore:
  --no-consumers  leave the stream's consumers out of the backup
  --check         ask the server to check every message's checksum first (nats-server 2.15 always does)
  a backup keeps sequence numbers, times and consumers; export and import (JSON lines) are for reading, filtering and
  moving messages between streams and environments (they are stored again under new sequence numbers)

coverage:
  --domain D      with the algebra's layout: a domain that has streams (default: the domains/*/domain-definition.yaml found)
  --json          print the report as JSON data instead of Markdown tables
  exit 1 when a domain event, command or snapshot subject would not be stored, or two streams overlap

${CONNECTION_HELP}

Exit status: 0 no error (init-streams: the server holds the plan), 1 an error was found or something could not be
done, 2 usage error.`;
