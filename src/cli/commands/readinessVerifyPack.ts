/**
 * `preflight readiness verify-pack <pack.json> [--project <project-file>] [--json]`: verifies an
 * evidence pack as downloaded from the Readiness screen (src/core/readiness/verifyPack.ts): every
 * hash it states recomputes from what it carries, the steering committee's signatures verify and
 * bind the readiness result the pack shows and, with `--project`, the artefacts the pack names are
 * the project's as they are now. Exit 0 verified; 1 tampered or stale (each problem named by its
 * field); 2 bad usage, or a file that cannot be read or is not a pack or a project file of it.
 *
 * A project file is a copy: the project as one browser held it when it was exported. The verdict
 * says so, with the time of the export. For a pack made on a project shared with a team server the
 * team's record is the server's; this command cannot ask for it (the server's records are read by
 * a signed-in member, and the command line has no sign-in), so it compares the copy's shared
 * records and says which artefacts only the team server holds.
 */

import { verifyEvidencePack } from '../../core/readiness/index.ts';
import { MAX_PROJECT_FILE_BYTES } from '../../formats/project.ts';
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
import { readSmallJsonFile } from '../openFiles.ts';
import { readProjectCopy, UnreadableProject } from './readiness.ts';

const VERDICT_WORDS = {
  verified: 'VERIFIED: the pack is as Preflight made it',
  tampered: 'TAMPERED: the pack was changed after it was made',
  stale: 'STALE: the pack is intact, but no longer describes the project or the decision',
} as const;

/**
 * What a comparison with a project file stands on: a copy, as it was when exported; for a pack
 * judged on a team's shared record, what the copy cannot speak for and why the server is not asked.
 */
function copyWords(against: { file: string; exportedAt: string }, teamHeld: number | undefined): string[] {
  const lines = [
    `Compared with "${against.file}": a copy of the project exported ${against.exportedAt}, as it was then; a change made since is not in it.`,
  ];
  if (teamHeld !== undefined)
    lines.push(
      'The pack was judged on the team’s shared record on a team server. Its shared records are compared as the copy holds them;',
      `the ${teamHeld === 1 ? 'artefact' : `${teamHeld} artefacts`} only the team server holds (shared workflows, validation summaries, sample results) ${teamHeld === 1 ? 'is' : 'are'} not.`,
      'The team server is not asked: its records are read by a member signed in, and the command line has no sign-in.',
      'To compare with the team’s record as it is now, check the pack on the Readiness screen, signed in: it compares the shared workflows, validation summaries and sample results with the server’s; or export the project again, just before, from the browser that made the pack.',
    );
  return lines;
}

/** The `preflight readiness verify-pack` command. */
export const readinessVerifyPackCommand: Command = {
  name: 'readiness verify-pack',
  summary: 'check an evidence pack (JSON) is as made, its decision signed over it (exit 1 if not)',
  operands: '<pack.json>',
  options: [
    {
      name: 'project',
      type: 'string',
      valueName: 'file',
      description:
        "the project file the pack was made from (a copy, as it was when exported): check the pack's artefacts are still the project's",
    },
    { name: 'json', type: 'boolean', description: 'print the verdict and each problem as JSON' },
  ],
  description: [
    'Verifies an evidence pack downloaded from the Readiness screen: each field against the seal',
    'it carries, the readiness result hash against the result it carries, each status and reason',
    "against that result, and the steering committee's signatures over the decision and the result",
    "it binds. With --project, each artefact's hash is compared with the project file's artefact:",
    'the file is a copy of the project as it was when exported, and the verdict says when that was.',
    "A pack made on a project shared with a team server is compared with the file's shared records;",
    'its shared workflows, validation summaries and sample results are the team server’s, not in the file.',
    'Tampered: the pack contradicts itself. Stale: the pack is intact but the project changed since,',
    'or the committee decided on another result. Each problem names the field, never its value.',
  ].join('\n'),
  notes:
    'Exit codes: 0 verified; 1 tampered or stale; 2 bad usage, or a file that cannot be read, is not an evidence pack, or is a project file of another project.',
  examples: [
    {
      args: [
        'samples/projects/demo-clinic.evidence-pack.json',
        '--project',
        'samples/projects/demo-clinic.preflight.json',
      ],
      does: "check the demo's evidence pack is as made and still the project's",
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [file] = args.operands;
    if (args.operands.length !== 1 || file === undefined)
      throw new UsageError('give exactly one evidence pack (JSON)');
    const fail = (message: string) => {
      io.stderr(`preflight readiness verify-pack: ${message}`);
      return EXIT_USAGE;
    };
    let pack: unknown;
    let copy: Awaited<ReturnType<typeof readProjectCopy>> | undefined;
    try {
      pack = await readSmallJsonFile(
        file,
        io.cwd,
        { what: 'evidence pack', tooLargeFor: 'an evidence pack', maxBytes: MAX_PROJECT_FILE_BYTES },
        (message) => new UnreadableProject(message),
      );
      const projectFile = args.string('project');
      if (projectFile !== undefined) copy = await readProjectCopy(projectFile, io);
    } catch (error) {
      if (error instanceof UnreadableProject) return fail(error.message);
      throw error;
    }
    const checked = await verifyEvidencePack(pack, copy?.project);
    if (checked.verdict === 'unreadable') return fail(`"${file}": ${checked.message}.`);
    const projectFile = args.string('project');
    const against =
      copy === undefined || projectFile === undefined
        ? undefined
        : { file: projectFile, exportedAt: copy.exportedAt };
    if (args.flag('json'))
      writeData(
        io,
        JSON.stringify(
          { file, ...checked, ...(against ? { projectFile: { ...against, copy: true } } : {}) },
          null,
          2,
        ),
      );
    else {
      const lines = [`${file}: ${VERDICT_WORDS[checked.verdict]}`];
      for (const p of checked.problems) lines.push(`  - ${p.kind}: ${p.field} ${p.message}`);
      if (against) lines.push('', ...copyWords(against, checked.teamHeld));
      if (checked.checked.length > 0) lines.push('', 'Checked:', ...checked.checked.map((c) => `  ${c}`));
      io.stdout(lines.join('\n'));
    }
    return checked.verdict === 'verified' ? EXIT_OK : EXIT_FINDINGS;
  },
};
