/**
 * `preflight readiness <project-file> [--json] [--audit-log <file>] [--pack <out.pdf>]`: the go/no-go of a project
 * file, by the same core function as the Readiness screen (`assessReadiness`), so a pipeline
 * enforces what the steering committee sees. With `--audit-log`, the project's audit log as
 * exported from the Sign-off screen is verified too, its steering signatures against the
 * project's decisions, and its head printed as the evidence pack shows it. With `--pack`, the
 * printed evidence pack is written as a PDF (the core's `packDocument`, laid out by `packPdf`).
 * Exit 0 on go, 1 on
 * no-go or a broken audit log, 2 when a file cannot be read or is not a valid project file or
 * audit log of that project (with where and what, never a value).
 */
import { resolve as resolvePath } from 'node:path';
import {
  assessReadiness,
  auditChainWords,
  boardLines,
  commandCentreLine,
  deciders,
  decidersLine,
  describeGates,
  evidencePack,
  goLiveDay,
  type PackAuditChain,
  type PathToGoAction,
  type PhaseStatus,
  packAuditChain,
  packDocument,
  pathToGo,
  pathToGoLines,
  plural,
  type ReadinessResult,
  runbookLine,
  SAFER_GUIDE_STATE_WORDS,
  STEP_KIND_WORDS,
  STEP_STATUS_WORDS,
  type SteeringSignatureCheck,
  type SteeringState,
  saferGuideCounts,
  safetyGateWords,
  steeringDecisionChecks,
  steeringReauthenticationText,
} from '../../core/readiness/index.ts';
import { MAX_AUDIT_LOG_BYTES } from '../../core/signoff/exports/index.ts';
import { localDay } from '../../core/validation/index.ts';
import { AUDIT_LOG_FORMAT } from '../../formats/auditLog.ts';
import { isPlainObject } from '../../formats/loading.ts';
import { loadProjectFile, MAX_PROJECT_FILE_BYTES, type ProjectFile } from '../../formats/project.ts';
import { readSteeringDecisions } from '../../formats/steering.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeData,
} from '../command.ts';
import { readSmallJsonFile, readSmallJsonFileWithSha256 } from '../openFiles.ts';
import { withClaimedOutputs, writeFailure, writeWholeFile } from '../wholeFiles.ts';

const STATUS_WORDS: Record<PhaseStatus, string> = {
  ready: 'ready',
  'at-risk': 'at risk',
  blocked: 'blocked',
  'not-started': 'not started',
};

/**
 * The steering committee's latest decision and whether it still binds the result, in one
 * paragraph; `checks` (one per signer, in order) add whether each signature verifies.
 */
export function steeringText(
  steering: SteeringState,
  checks: readonly SteeringSignatureCheck[] = [],
): string[] {
  const latest = steering.latest;
  if (!latest) return ['Steering committee decision: none recorded.'];
  const verified = (i: number) => {
    const check = checks[i];
    if (!check) return '';
    return check.ok ? ', signature verifies' : `, SIGNATURE DOES NOT VERIFY (${check.message})`;
  };
  const signers = latest.signers
    .map(
      (s, i) =>
        `${s.name} (${s.role}, ${s.id}) on ${s.signedAt}, ${steeringReauthenticationText(s.reauthentication)}${verified(i)}`,
    )
    .join('; ');
  return [
    `Steering committee decision: ${latest.decision === 'go' ? 'GO' : 'NO-GO'} (${latest.state === 'current' ? 'current' : 'STALE'}), signed by ${signers}.`,
    latest.state === 'current'
      ? `  It was taken on the readiness result as it is now (sha256 ${latest.resultSha256}).`
      : `  The evidence changed after it was taken: it bound result sha256 ${latest.resultSha256}, the result now is ${steering.resultSha256}. The committee must decide again.`,
    `  Rationale: ${latest.rationale}`,
  ];
}

/** The result as a person reads it in a terminal or a pipeline log. */
function readinessText(
  result: ReadinessResult,
  file: string,
  checks: readonly SteeringSignatureCheck[] = [],
  who?: readonly { name: string; title: string }[],
  path?: readonly PathToGoAction[],
  /** the planned go-live day judged on this computer's day, as the printed pack says it */
  day?: string,
): string {
  const lines = [
    `${file}: ${result.decision === 'go' ? 'GO' : 'NO-GO'}`,
    '',
    ...boardLines(result.board, result.gates),
    '',
    ...(path ? [...pathToGoLines(path), ''] : []),
    ...(day ? [day, ''] : []),
    ...(who ? [decidersLine(who)] : []),
    ...steeringText(result.steering, checks),
    '',
    `Gates in effect: ${describeGates(result.gates).join('; ')}.`,
  ];
  if (result.reasons.length > 0) {
    lines.push('', 'Why no-go:');
    for (const r of result.reasons) lines.push(`  - [${r.phase}] ${r.text}`);
  }
  if (result.risks.length > 0) {
    lines.push('', 'At risk:');
    for (const r of result.risks) lines.push(`  - [${r.phase}] ${r.text}`);
  }
  for (const phase of result.phases) {
    lines.push('', `${phase.name}: ${STATUS_WORDS[phase.status]}`);
    for (const line of phase.evidence) lines.push(`  ${line}`);
  }
  lines.push('', runbookLine(result.cutover.runbook));
  for (const s of result.cutover.runbook?.steps ?? [])
    lines.push(
      `  - [${STEP_STATUS_WORDS[s.status]}] ${s.title} (${STEP_KIND_WORDS[s.kind]}; ${s.owner ?? 'no owner'}; ${s.plannedAt?.replace('T', ' ') ?? 'no time'})`,
    );
  lines.push(commandCentreLine(result.cutover.commandCentre));
  const state = { 'not-recorded': 'not recorded', incomplete: 'incomplete', ready: 'ready' } as const;
  const { rehearsal, communication, partners } = result.preparation;
  lines.push(
    `Dress rehearsal: ${state[rehearsal.state]}; communication plan: ${state[communication.state]}; vendor and interface readiness: ${state[partners.state]}.`,
  );
  const after = result.afterGoLive;
  lines.push(
    after.workflows.length === 0 && after.issuesByDay.length === 0
      ? 'After go-live: no go-live check of a planned workflow and no logged issue yet.'
      : `After go-live: ${plural(after.workflows.length, 'workflow')} checked against ${after.workflows.length === 1 ? 'its' : 'their'} design, ${plural(
          after.issuesByDay.reduce((n, d) => n + d.total, 0),
          'issue',
        )} logged (${after.openIssues} open); the Go-live phase lists the figures and their risks.`,
  );
  lines.push('', 'Safety self-assessment by the SAFER guides (2025):');
  for (const g of result.safetyGuides)
    lines.push(
      `  ${g.title}: ${SAFER_GUIDE_STATE_WORDS[g.state]} (${saferGuideCounts(g)}; gate: ${safetyGateWords(g.gate)}).`,
    );
  for (const p of result.gateProblems) lines.push('', `note: the gate at ${p.path} ${p.message}.`);
  return lines.join('\n');
}

/** A file that cannot be read or is not what it should be (exit 2). */
export class UnreadableProject extends Error {}

const PROJECT_FILE = {
  what: 'project file',
  tooLargeFor: 'a project file',
  maxBytes: MAX_PROJECT_FILE_BYTES,
};

/** The project of a project file. @throws UnreadableProject */
export async function readProject(file: string, io: CliIo) {
  return (await readProjectCopy(file, io)).project;
}

/**
 * A project file as read: its project, and when it was exported (the copy is the project as it
 * was then). @throws UnreadableProject
 */
export async function readProjectCopy(
  file: string,
  io: CliIo,
): Promise<{ project: ProjectFile['project']; exportedAt: string }> {
  const json = await readSmallJsonFile(
    file,
    io.cwd,
    PROJECT_FILE,
    (message) => new UnreadableProject(message),
  );
  return projectOf(json, file);
}

/**
 * The project of a project file, as {@link readProject} reads it, with the SHA-256 of the bytes
 * read: a command that rewrites the file checks with it that no one saved it meanwhile.
 * @throws UnreadableProject
 */
export async function readProjectWithSha256(file: string, io: CliIo) {
  const { value, sha256 } = await readSmallJsonFileWithSha256(
    file,
    io.cwd,
    PROJECT_FILE,
    (message) => new UnreadableProject(message),
  );
  return { project: projectOf(value, file).project, sha256 };
}

function projectOf(json: unknown, file: string) {
  const loaded = loadProjectFile(json);
  if (!loaded.ok) {
    const shown = loaded.problems.slice(0, 5).map((p) => `${p.path || '/'}: ${p.message}`);
    const more =
      loaded.problems.length > shown.length ? ` (and ${loaded.problems.length - shown.length} more)` : '';
    throw new UnreadableProject(
      `"${file}" is not a usable project file: ${shown.join('; ')}${more}. Check it with "preflight check ${file}".`,
    );
  }
  return { project: loaded.value.project, exportedAt: loaded.value.exportedAt };
}

/**
 * The chain of an exported audit log (`preflight.auditlog/v1`) of `projectId`, checked against
 * the project's steering decisions. @throws UnreadableProject for a file that cannot be read, is
 * not an audit log, or belongs to another project.
 */
async function readAuditChain(
  file: string,
  io: CliIo,
  project: Awaited<ReturnType<typeof readProject>>,
): Promise<PackAuditChain> {
  const json = await readSmallJsonFile(
    file,
    io.cwd,
    { what: 'audit log', tooLargeFor: 'an audit log', maxBytes: MAX_AUDIT_LOG_BYTES },
    (message) => new UnreadableProject(message),
  );
  if (!isPlainObject(json) || json.format !== AUDIT_LOG_FORMAT || !Array.isArray(json.entries))
    throw new UnreadableProject(
      `"${file}" is not an audit log (${AUDIT_LOG_FORMAT}): export it from the Sign-off screen.`,
    );
  if (json.projectId !== project.meta.id)
    throw new UnreadableProject(
      `"${file}" is the audit log of another project: export the log of this project from its Sign-off screen.`,
    );
  return packAuditChain(project, json.entries);
}

/** The `preflight readiness` command. */
export const readinessCommand: Command = {
  name: 'readiness',
  summary: "a project file's go/no-go from its own evidence and gates (exit 1 on no-go)",
  operands: '<project-file>',
  options: [
    { name: 'json', type: 'boolean', description: 'print the result as JSON' },
    {
      name: 'audit-log',
      type: 'string',
      valueName: 'file',
      description:
        "the project's audit log (exported from the Sign-off screen): verify its chain and the steering signatures in it, and print its head",
    },
    {
      name: 'pack',
      type: 'string',
      valueName: 'out.pdf',
      description:
        'write the printed evidence pack as a PDF: the readiness board (phases, rehearsals, sign-off, capacity, failing data, issue log, forecast vs what happened), the steering signatures and whether each verifies, attendees and quorum, conditions for go, the path to go, blocking reasons with owner and due day, the artefacts judged with their SHA-256, rollback triggers, the runbook table, the safety self-assessment',
    },
  ],
  description: [
    'Judges a project file (preflight.project/v1, the file the app exports) phase by phase —',
    'discovery, configuration, training, pre-launch, go-live — against the readiness gates saved',
    'in the project (documented defaults where none are set), as the Readiness screen does. Prints',
    'the decision, the reasons that block it, the risks, and each phase with its evidence, and the',
    "steering committee's latest signed decision: current while the result hashes as it did when",
    'the committee decided, stale once any evidence changed it (the exit code is the computed one).',
    'The path to go lists the fewest actions that clear every blocking reason, each with its gate,',
    "owner and due day from the project's records (none where no record names one); --json prints",
    'it as pathToGo (action, gate, owner, due).',
    'With --audit-log, the audit chain that records every sign-off step and steering signature is',
    "verified against the project's decisions, and its head printed as the evidence pack shows it.",
    'With --pack, the printed evidence pack is written as a PDF, page 1 as the meeting reads it, so',
    'it can be printed for the go/no-go meeting without a browser.',
  ].join('\n'),
  notes:
    'Exit codes: 0 go; 1 no-go (or, with --audit-log, a broken chain); 2 bad usage, or a file that cannot be read or is not a valid project file or audit log of that project, or a --pack file that cannot be written.',
  examples: [
    {
      args: ['samples/projects/demo-clinic.preflight.json'],
      does: "the demo project's go/no-go: no-go for its planted problems",
      exits: 1,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [file] = args.operands;
    if (args.operands.length !== 1 || file === undefined)
      throw new UsageError('give exactly one project file');
    let project: Awaited<ReturnType<typeof readProject>>;
    let chain: PackAuditChain | undefined;
    try {
      project = await readProject(file, io);
      const log = args.string('audit-log');
      if (log !== undefined) chain = await readAuditChain(log, io, project);
    } catch (error) {
      if (error instanceof UnreadableProject) {
        io.stderr(`preflight readiness: ${error.message}`);
        return EXIT_USAGE;
      }
      throw error;
    }
    // waivers are judged on this computer's calendar day
    const today = localDay(new Date());
    const result = assessReadiness(project, { today });
    // beside the result, not in it: the result's hash is what a steering decision binds
    const path = pathToGo(project, result, today);
    // each signature of the latest decision is checked: its hash over the decision, its signer on
    // the roster and its WebAuthn assertion; the text and the printed pack say the same of each
    const checks = await steeringDecisionChecks(
      readSteeringDecisions(project.meta.settings).at(-1),
      project.meta.roster,
    );
    const packFile = args.string('pack');
    if (packFile !== undefined) {
      const made = project;
      // claimed while it is made, so a run stopped half way is named by the next (wholeFiles.ts)
      const written = await withClaimedOutputs([packFile], io, async () => {
        const pack = evidencePack(made, result, new Date().toISOString(), chain);
        // the PDF writer loads only when a pack is asked for: it stays off every other run's start
        const { packPdf } = await import('../packPdf.ts');
        const bytes = await packPdf(
          packDocument(pack, { signatureChecks: checks }),
          `Go-live evidence pack: ${made.meta.name}`,
        );
        try {
          await writeWholeFile(resolvePath(io.cwd, packFile), bytes);
          return true;
        } catch (error) {
          io.stderr(`preflight readiness: cannot write "${packFile}": ${writeFailure(error)}`);
          return false;
        }
      });
      if (!written) return EXIT_USAGE;
    }
    if (args.flag('json'))
      writeData(
        io,
        JSON.stringify(
          {
            ...result,
            deciders: deciders(project),
            pathToGo: path,
            ...(chain ? { auditChain: chain } : {}),
          },
          null,
          2,
        ),
      );
    else {
      const text = readinessText(
        result,
        file,
        checks,
        deciders(project),
        path,
        goLiveDay(project, today).words,
      );
      io.stdout(chain ? `${text}\n\n${auditChainWords(chain)}` : text);
    }
    if (chain?.state === 'broken') {
      io.stderr(`preflight readiness: the audit log does not verify (${chain.message}).`);
      return EXIT_FINDINGS;
    }
    return result.decision === 'go' ? EXIT_OK : EXIT_FINDINGS;
  },
};
