import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ValidateInputSpec, ValidateRequest, ValidationProgress } from '../../../workers/validateApi.ts';
import { sniffInWorker } from '../../../workers/validateClient.ts';
import { describeHeaderProblem, type HeaderComparison } from '../../core/contract/index.ts';
import {
  type CsvLayout,
  DEFAULT_MAX_NAME_CHARS,
  ENCODING_TITLES,
  TEXT_ENCODINGS,
} from '../../core/csv/index.ts';
import { PROGRESS_STEP_TEXT, type Progress } from '../../core/jobs/progress.ts';
import { contractTooLarge, readContractBytes } from '../../core/mapping/index.ts';
import { applyChanges, newId, type ProjectChange } from '../../core/project/changes.ts';
import type { AccountLine } from '../../core/readerAccount/index.ts';
import {
  boundByChoice,
  chosenDemographicsOf,
  chosenRun,
  contractProblemText,
  contractToSave,
  type DecimalMark,
  listedFile,
  MAX_DEMOGRAPHICS,
  type ReferenceLink,
  savedMappingSpec,
  withNotRead,
} from '../../core/validation/index.ts';
import { readProjectFhirPackages } from '../../formats/igPackages.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { formatBytes, formatCount, formatDuration } from '../common/format.ts';
import { SAMPLE_EXTRACTS, sampleExtractFile } from '../demo/sampleExtracts.ts';
import { useLatestJob } from '../jobs/useJobs.ts';
import { APP_VERSION } from '../projects/projectSession.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import { unzippedFiles } from './archiveFiles.ts';
import { decompressedFiles } from './decompressedFiles.ts';
import {
  type ChosenExtract,
  checkSetsOf,
  checkSetsToSave,
  DELIMITERS,
  delimiterName,
  headerCheck,
  headerKept,
  headerReadable,
  headerUndecided,
  LINE_ENDING_NAMES,
  linksOf,
  newDropDecisions,
  noHeaderLine,
  proposedKey,
  uniqueName,
} from './extractSetup.ts';
import {
  describeFhirCheckChoices,
  mappedPackages,
  packagesFor,
  useFhirCheckChoices,
} from './fhirCheckChoices.ts';
import { FHIR_VALIDATION_KIND } from './fhirValidationKind.ts';
import { MappingEditor } from './MappingEditor.tsx';
import { useKeptRun } from './Rehearsals.tsx';
import { finishedValidationRun, useValidation, useValidationProgress } from './useValidation.ts';
import { ValidationReport } from './ValidationReport.tsx';

/** The FHIR files' screen loads on first use, so the main bundle does not grow with it. */
const FhirValidation = lazy(() =>
  import('./FhirValidation.tsx').then((m) => ({ default: m.FhirValidation })),
);

/** FHIR R4 files (a resource or Bundle, or NDJSON) go to FHIR validation; everything else is read as CSV. */
function isFhirFileName(name: string): boolean {
  return /\.(json|ndjson|jsonl)$/i.test(name);
}

/** Whether a dropped file is an implementation guide package (FHIR NPM .tgz), by its name. */
function isPackageFileName(name: string): boolean {
  return /\.(tgz|tar\.gz)$/i.test(name);
}

const PERCENT = 100;

/** What the user set up, kept while they visit other workspaces (files stay in memory only). */
interface Setup {
  projectId: string;
  extracts: ChosenExtract[];
  links: ReferenceLink[];
  uploaded: SchemaDoc[];
  fhirFiles: File[];
}
let lastSetup: Setup | undefined;

/**
 * The new-drop button opens the file chooser (its ellipsis says a choice follows): it never checks
 * the files already listed, which Validate does, so its words say so rather than "Check".
 */
export const NEW_DROP_BUTTON = 'Choose a new drop to check…';

/** What the new-drop button does, in words; with files listed, what checks those instead. */
export function newDropHint(listed: number): string {
  const what =
    'Opens the file chooser for the files of a new drop: each is set up from the saved check set with the same columns and checked at once.';
  if (listed === 0) return what;
  const those = listed === 1 ? 'the file' : `the ${listed} files`;
  return `${what} They take the place of ${those} listed below; to check ${those} already listed, press Validate.`;
}

function percentOf(progress: Progress | null): number {
  return progress?.total ? Math.floor((progress.done / progress.total) * PERCENT) : 0;
}

/** "12,000 rows/s, about 3 s left" from a byte-based progress that also counts rows. */
function speed(progress: ValidationProgress): string {
  const rowsPerSecond = progress.done > 0 ? (progress.ratePerSecond * progress.rows) / progress.done : 0;
  const eta = progress.etaSeconds === null ? '' : `, about ${formatDuration(progress.etaSeconds)} left`;
  return `${formatCount(Math.round(rowsPerSecond))} rows/s${eta}`;
}

/**
 * Reads an uploaded column contract with the core's reader, as `preflight validate --schema` reads
 * it: a JSON Schema of one row, or a Frictionless Table Schema converted to one (with what it asks
 * beyond one row); or says why the file cannot be one, in the same words.
 */
export async function readContractFile(file: File): Promise<{ doc: SchemaDoc } | { message: string }> {
  // too large: said before its bytes are read
  const tooLarge = contractTooLarge(file.name, file.size);
  if (tooLarge) return { message: contractProblemText(tooLarge) };
  const read = readContractBytes(file.name, new Uint8Array(await file.arrayBuffer()));
  if (!read.ok) return { message: contractProblemText(read.problem) };
  const schema = contractToSave(read.contract);
  const title = typeof schema.title === 'string' && schema.title.trim() ? schema.title : file.name;
  return { doc: { id: `uploaded:${file.name}:${file.lastModified}:${file.size}`, name: title, schema } };
}

/**
 * The running validation's progress bar and line: the only part of the screen that follows each
 * progress report (useValidationProgress), so the rest is not drawn again ~10 times a second.
 */
function RunProgress() {
  const job = useValidationProgress();
  if (job?.status !== 'running') return null;
  const progress = job.progress as ValidationProgress | null;
  return (
    <div className="progress-block">
      {/* past reading (a step: keys checked across the file) its length is not known: indeterminate */}
      <progress
        max={PERCENT}
        value={progress?.step ? undefined : percentOf(progress)}
        aria-label={`Validating ${job.subject}`}
      />
      <p aria-live="polite">
        {progress
          ? progress.step
            ? `${progress.input || job.subject}: read to the end · ${PROGRESS_STEP_TEXT[progress.step]}… (${formatCount(progress.rows)} rows read)`
            : `${progress.input || job.subject}: ${percentOf(progress)} % — ${formatBytes(progress.done)} of ${formatBytes(progress.total ?? 0)}, ${formatCount(progress.rows)} rows · ${speed(progress)}`
          : 'Starting…'}
      </p>
    </div>
  );
}

/**
 * Check extracts: choose (or drop) CSV/TSV files, see how each is read and change it, pick the
 * column contract, key and links, then validate in a background worker. The run is a job of the
 * app: it goes on in other workspaces and shows in the header.
 */
export function CheckExtracts({
  project,
  onSaveReport,
  onChange,
}: {
  project: Project;
  onSaveReport?: ((report: Report) => Promise<void>) | undefined;
  /** stores project changes (the mapping editor's edits) */
  onChange?: ((change: ProjectChange) => void) | undefined;
}) {
  const projectId = project.meta.id;
  const initial = lastSetup?.projectId === projectId ? lastSetup : undefined;
  const [extracts, setExtracts] = useState<ChosenExtract[]>(initial?.extracts ?? []);
  const [links, setLinks] = useState<ReferenceLink[]>(initial?.links ?? []);
  const [uploaded, setUploaded] = useState<SchemaDoc[]>(initial?.uploaded ?? []);
  const [fhirFiles, setFhirFiles] = useState<File[]>(initial?.fhirFiles ?? []);
  const [droppedPackages, setDroppedPackages] = useState<File[]>([]);
  const packagesTaken = useCallback(() => setDroppedPackages([]), []);
  const hasPackages = useMemo(
    () => readProjectFhirPackages(project.meta.settings).packages.length > 0,
    [project.meta.settings],
  );
  // what a mapping to FHIR is checked with: the project's FHIR checks and packages, as its FHIR
  // files (the "FHIR files" section publishes the packages: it is on screen whenever there are some)
  const fhirChoices = useFhirCheckChoices(project.meta.settings);
  const mappedFhirChecks = useMemo(
    () => describeFhirCheckChoices(fhirChoices, projectId),
    [fhirChoices, projectId],
  );
  // records mapped to FHIR wait for the packages to be read: a run now would check them without
  const packagesPending =
    hasPackages &&
    packagesFor(fhirChoices, projectId)?.ready !== true &&
    extracts.some((e) => project.mappings.find((m) => m.id === e.mapping)?.target.type === 'fhir');
  const fhirJob = useLatestJob(FHIR_VALIDATION_KIND);
  const [messages, setMessages] = useState<string[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  /** what each archive held and was not read, by the name of its first extract (the report's notRead) */
  const [notRead, setNotRead] = useState<ReadonlyMap<string, AccountLine[]>>(new Map());
  const [pending, setPending] = useState(0);
  const [dragging, setDragging] = useState(false);
  const { ready, job, start, cancel } = useValidation();
  const fileInputId = useId();
  const contractInputId = useId();
  const extractsRef = useRef(extracts);
  extractsRef.current = extracts;

  useEffect(() => {
    lastSetup = { projectId, extracts, links, uploaded, fhirFiles };
  }, [projectId, extracts, links, uploaded, fhirFiles]);

  // the FHIR validator starts while the user chooses files, so the first one is checked at once;
  // its client loads on demand too (a failed warm-up is retried by the validation itself)
  useEffect(() => {
    import('../../../workers/fhirValidateClient.ts')
      .then((client) => client.prewarmFhirValidator())
      .catch(() => {});
  }, []);

  const contracts = useMemo(() => [...project.schemas, ...uploaded], [project.schemas, uploaded]);

  const addFiles = useCallback(
    /** adds the files (`replace`: instead of those listed); resolves to the new list */
    async (given: readonly File[], replace = false): Promise<ChosenExtract[]> => {
      setMessages([]);
      // a zip's extracts are read one by one, as archive.zip/<entry>; a workbook is refused with
      // what to do; a compressed extract (patients.csv.gz) is read as its text, said in a note
      const archived = await unzippedFiles(given);
      const unpacked = await decompressedFiles(archived.files);
      const chosen = unpacked.files;
      setNotes([...archived.notes, ...unpacked.notes]);
      const fhir = chosen.filter((f) => isFhirFileName(f.name));
      if (fhir.length > 0)
        setFhirFiles((list) => [...list.filter((f) => !fhir.some((n) => n.name === f.name)), ...fhir]);
      // implementation guide packages go to the FHIR checks' package list
      const packageFiles = chosen.filter((f) => isPackageFileName(f.name));
      if (packageFiles.length > 0) setDroppedPackages((list) => [...list, ...packageFiles]);
      const files = chosen.filter((f) => !isFhirFileName(f.name) && !isPackageFileName(f.name));
      setPending((n) => n + files.length);
      const added: ChosenExtract[] = [];
      const problems: string[] = [...archived.problems, ...unpacked.problems];
      const kept = replace ? [] : extractsRef.current;
      for (const file of files) {
        try {
          const taken = [...kept, ...added].map((e) => e.name);
          const name = uniqueName(file.name, taken);
          // an archive's entries not read go on the report of its first extract
          const lines = archived.notRead.get(file.name);
          if (lines !== undefined) setNotRead((map) => new Map(map).set(name, lines));
          const sniffed = await sniffInWorker(file, name);
          if (!sniffed.ok) {
            problems.push(`${sniffed.problem.message} ${sniffed.problem.advice}`);
            continue;
          }
          // bound by its header to a saved check set (or a contract), never by its name
          const listed = await listedFile(name, file.name, sniffed, {
            project,
            contracts,
            readAgain: async (wanted) => {
              const again = await sniffInWorker(file, name, wanted);
              return again.ok ? again : undefined;
            },
          });
          added.push({ ...listed.file, file, detected: listed.sniffed.layout.detected });
        } catch {
          problems.push(
            `${file.name} could not be opened. Choose it again; if it keeps failing, reload the page.`,
          );
        } finally {
          setPending((n) => n - 1);
        }
      }
      const next = [...kept, ...added];
      extractsRef.current = next;
      setExtracts(next);
      const nextLinks = linksOf(next, project);
      setLinks(nextLinks);
      setMessages(problems);
      return next;
    },
    [project, contracts],
  );

  const update = async (name: string, given: Partial<CsvLayout>) => {
    const current = extracts.find((e) => e.name === name);
    if (!current) return;
    const layout = { ...current.layout, ...given };
    setPending((n) => n + 1);
    try {
      // the header is read again: another encoding or delimiter gives other column names
      const sniffed = await sniffInWorker(current.file, name, layout);
      setExtracts((list) =>
        list.map((e) => {
          if (e.name !== name) return e;
          if (!sniffed.ok) return { ...e, layout, detected: { ...e.detected, ...detectedOff(given) } };
          const header = sniffed.header;
          return {
            ...e,
            layout,
            detected: { ...e.detected, ...detectedOff(given) },
            header,
            key: header.includes(e.key) ? e.key : proposedKey(e.name, header),
          };
        }),
      );
    } finally {
      setPending((n) => n - 1);
    }
  };

  const setField = (name: string, field: 'contract' | 'key' | 'mapping', value: string) =>
    setExtracts((list) => list.map((e) => (e.name === name ? { ...e, [field]: value } : e)));

  /** binds a file with no readable header to a saved check set the user chose ('': to none) */
  const chooseCheckSet = (name: string, id: string) => {
    const set = checkSetsOf(project).find((d) => d.id === id);
    const next = extracts.map((e) => {
      if (e.name !== name) return e;
      const { checkSet: _, mapping: _m, demographics: _d, ...rest } = e;
      return { ...rest, ...boundByChoice(e, set, { project, contracts }) };
    });
    extractsRef.current = next;
    setExtracts(next);
  };

  const remove = (name: string) => {
    const next = extracts.filter((e) => e.name !== name);
    setExtracts(next);
    setLinks(linksOf(next, project));
    // the pressed button goes away with its card: keyboard users continue at the file picker
    document.getElementById(fileInputId)?.focus();
  };

  const onContractFile = async (file: File) => {
    const read = await readContractFile(file);
    if ('message' in read) {
      setMessages([read.message]);
      return;
    }
    setMessages([]);
    // kept in the project (it is one of the contract choices after a reload and in an export);
    // without a project open for writing it lives on this screen only
    if (onChange) onChange({ type: 'schema/put', schema: read.doc });
    else setUploaded((list) => [...list.filter((d) => d.id !== read.doc.id), read.doc]);
    // a contract chosen while files are listed goes to those without one
    setExtracts((list) => list.map((e) => (e.contract ? e : { ...e, contract: read.doc.id })));
  };

  const [askHeader, setAskHeader] = useState(false);
  /** what a new drop needs decided before it is checked (the new-drop button); empty: nothing */
  const [dropDecisions, setDropDecisions] = useState<string[]>([]);
  const validate = (
    list: readonly ChosenExtract[] = extracts,
    linkList: readonly ReferenceLink[] = links,
  ) => {
    // a header that does not fit its contract is decided on first, before any row is checked
    const undecided = list.find((e) => headerUndecided(e, contracts));
    if (undecided) {
      setAskHeader(true);
      document.getElementById(headerCheckId(fileInputId, undecided.name))?.focus();
      return;
    }
    setAskHeader(false);
    setDropDecisions([]);
    // each file's settings are kept in the project as its check set, for the next rehearsal
    const newIds = new Map(
      onChange
        ? list
            // a file with no header to keep has nothing a later file could be matched by
            .filter((e) => !e.checkSet && headerKept(e.header))
            .map((e) => [e.name, `checkset:${newId()}`] as const)
        : [],
    );
    const bound = list.map((e) => {
      const id = newIds.get(e.name);
      return id ? { ...e, checkSet: { id, name: e.name, exact: true } } : e;
    });
    // the run as the core makes it of the files listed: inputs, links and header differences
    const now = new Date();
    const chosen = chosenRun(bound, linkList, { project, contracts, now });
    // with a project open for writing, the files are checked as the check sets this run keeps
    let checkedAs: Project | undefined;
    if (onChange) {
      const kept = checkSetsToSave(list, chosen.links, project, newIds).map(
        (dataset): ProjectChange => ({ type: 'dataset/put', dataset }),
      );
      for (const change of kept) onChange(change);
      checkedAs = applyChanges(project, kept, now.toISOString());
      extractsRef.current = bound;
      setExtracts(bound);
    }
    const packages = mappedPackages(fhirChoices, projectId);
    const files = new Map(list.map((e) => [e.name, e]));
    const request: ValidateRequest = {
      toolVersion: APP_VERSION,
      links: chosen.links,
      ...(checkedAs ? { project: checkedAs } : {}),
      headers: chosen.headers,
      ...(packages.target ? { fhirPackages: packages.target } : {}),
      inputs: chosen.inputs.map((input) => {
        const extract = files.get(input.name) as ChosenExtract;
        // the mapping as saved in the project now (the editor autosaves every change)
        return { ...input, file: extract.file, ...mappedSpec(project, extract.mapping, packages.spec) };
      }),
    };
    start(request);
  };

  // the demo clinic's bundled extracts, checked in one action with no file from disk
  const demoSamples = SAMPLE_EXTRACTS.filter((sample) =>
    project.datasets.some((d) => d.origin.type === 'sample' && d.origin.path === sample.path),
  );
  const [loadingDemo, setLoadingDemo] = useState(false);
  const checkDemo = async () => {
    setLoadingDemo(true);
    try {
      const files = await Promise.all(demoSamples.map(sampleExtractFile));
      const next = await addFiles(files, true);
      if (next.length === files.length) validate(next, linksOf(next, project));
    } catch {
      setMessages(['The demo extracts could not be read. Reload the page and try again.']);
    } finally {
      setLoadingDemo(false);
    }
  };

  // a new drop of a saved extract: its files bound by header to the saved check sets and checked
  // at once, unless a file needs a decision first (then nothing is checked and the screen says why)
  const savedSets = checkSetsOf(project);
  const newDropRef = useRef<HTMLInputElement>(null);
  const checkNewDrop = async (files: readonly File[]) => {
    setDropDecisions([]);
    const csv = files.filter((f) => !isFhirFileName(f.name) && !isPackageFileName(f.name));
    const next = await addFiles(csv, true);
    const decisions = newDropDecisions(next, contracts);
    const unread = csv.length - next.length;
    if (csv.length < files.length)
      decisions.unshift(
        'Only extract files (CSV or TSV) are checked this way: add FHIR files with the picker below.',
      );
    if (unread > 0)
      decisions.unshift(
        `${unread === 1 ? 'One file' : `${unread} files`} could not be read (see the message above).`,
      );
    if (csv.length === 0) decisions.push('No extract file was chosen.');
    if (decisions.length > 0) {
      setDropDecisions(decisions);
      return;
    }
    validate(next, linksOf(next, project));
  };

  const running = job?.status === 'running';
  const progress = (job?.progress ?? null) as ValidationProgress | null;
  const run = finishedValidationRun(job);
  const checked = run?.outcome.ok ? run.outcome.report : undefined;
  const report = useMemo(() => checked && withNotRead(checked, notRead), [checked, notRead]);
  // every finished run is kept in the project, for the rehearsals' comparison (Rehearsals.tsx)
  const kept = useKeptRun(report, onSaveReport);

  // Validate is disabled while the run goes and Cancel goes away after it: either would drop keyboard
  // focus to the page's start. Focus follows the run instead: Cancel while it runs, then the result
  // (or Validate again after a cancel or a failure). Only focus that was on those buttons, or lost,
  // is moved: a user who went on elsewhere in the page stays there.
  const validateRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current === running) return;
    wasRunning.current = running;
    const active = document.activeElement;
    const lost = active === null || active === document.body;
    if (running) {
      if (lost || active === validateRef.current) cancelRef.current?.focus();
      return;
    }
    if (!lost && active !== cancelRef.current && active !== validateRef.current) return;
    const heading = outcomeRef.current?.querySelector<HTMLElement>('.validation-report h4');
    (heading ?? validateRef.current)?.focus();
  }, [running]);

  return (
    <section aria-labelledby="check-title" className="card check-extracts">
      <h3 id="check-title">Check extracts</h3>
      <p>
        Choose the files exported from the old system (CSV or TSV, any size). Preflight reads them on this
        computer, checks every row against the agreed column layout, and finds repeated keys and references to
        records that are missing. FHIR R4 files (.json, .ndjson) are checked against the FHIR specification,
        and against the profiles of implementation guide packages (.tgz) you add. Nothing is uploaded.
      </p>
      {demoSamples.length > 0 && (
        <div className="row demo-check">
          <button
            type="button"
            disabled={!ready || running || pending > 0 || loadingDemo}
            onClick={() => void checkDemo()}
          >
            Check the demo extracts
          </button>
          <span className="hint">
            Validates the demo clinic's own files ({demoSamples.map((d) => d.name).join(', ')}) with their
            saved settings: nothing to choose from disk.
          </span>
        </div>
      )}
      {loadingDemo && pending === 0 && <p role="status">Reading the demo extracts…</p>}
      {savedSets.length > 0 && (
        <div className="row new-drop-check">
          <button
            type="button"
            disabled={!ready || running || pending > 0 || loadingDemo}
            aria-describedby={`${fileInputId}-new-drop-hint`}
            onClick={() => newDropRef.current?.click()}
          >
            {NEW_DROP_BUTTON}
          </button>
          <span className="hint" id={`${fileInputId}-new-drop-hint`}>
            {newDropHint(extracts.length)}
          </span>
          <input
            ref={newDropRef}
            type="file"
            multiple
            hidden
            tabIndex={-1}
            accept=".csv,.tsv,.txt,.gz,.zst,.zip,text/csv,text/tab-separated-values,text/plain,application/gzip,application/zip"
            onChange={(event) => {
              const input = event.currentTarget;
              const files = [...(input.files ?? [])];
              input.value = '';
              if (files.length > 0) void checkNewDrop(files);
            }}
          />
        </div>
      )}
      {dropDecisions.length > 0 && (
        <div className="error" role="alert">
          <p>Nothing was checked yet. The new extract needs a decision first:</p>
          <ul>
            {dropDecisions.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p>Then press Validate.</p>
        </div>
      )}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone is an extra for mouse users; the file input inside it is the keyboard path */}
      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void addFiles([...event.dataTransfer.files]);
        }}
      >
        <p>Drop extract files here, or choose them:</p>
        <label htmlFor={fileInputId}>
          Extract files (CSV or TSV) or FHIR files (JSON, NDJSON), plain, compressed (.gz, .zst) or zipped
          (.zip)
        </label>{' '}
        <input
          id={fileInputId}
          type="file"
          multiple
          accept=".csv,.tsv,.txt,.json,.ndjson,.jsonl,.gz,.zst,.tgz,.zip,text/csv,text/tab-separated-values,text/plain,application/json,application/gzip,application/zip"
          disabled={!ready}
          onChange={(event) => {
            const input = event.currentTarget;
            const files = [...(input.files ?? [])];
            input.value = '';
            void addFiles(files);
          }}
        />
      </div>
      {messages.length > 0 && (
        <div className="error" role="alert">
          {messages.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      {notes.map((note) => (
        <p key={note} className="hint">
          {note}
        </p>
      ))}
      {pending > 0 && <p role="status">Reading the start of the files…</p>}
      <SavedCheckSets project={project} onChange={running ? undefined : onChange} />

      {extracts.map((extract, at) => (
        <ExtractCard
          key={extract.name}
          extract={extract}
          tellsConflicts={{
            checkSet: !extracts.slice(0, at).some((e) => e.checkSet?.id === extract.checkSet?.id),
            contract: !extracts.slice(0, at).some((e) => e.contract === extract.contract),
          }}
          contracts={contracts}
          mappings={project.mappings}
          mappedFhirChecks={mappedFhirChecks}
          disabled={running}
          headerId={headerCheckId(fileInputId, extract.name)}
          onLayout={(given) => void update(extract.name, given)}
          onField={(field, value) => setField(extract.name, field, value)}
          onDemographics={(columns) =>
            setExtracts((list) =>
              list.map((e) => (e.name === extract.name ? { ...e, demographics: columns } : e)),
            )
          }
          onDecimalMark={(mark) =>
            setExtracts((list) =>
              list.map((e) => {
                if (e.name !== extract.name) return e;
                const { decimalMark: _, ...rest } = e;
                return mark === undefined ? rest : { ...rest, decimalMark: mark };
              }),
            )
          }
          checkSets={checkSetsOf(project)}
          onCheckSet={(id) => chooseCheckSet(extract.name, id)}
          onAcceptHeader={(accepted) =>
            setExtracts((list) =>
              list.map((e) => {
                if (e.name !== extract.name) return e;
                const { headerAccepted: _, ...rest } = e;
                return accepted ? { ...rest, headerAccepted: e.contract } : rest;
              }),
            )
          }
          onRemove={() => remove(extract.name)}
        />
      ))}

      {extracts.length > 0 && (
        <>
          <MappingEditor project={project} extracts={extracts} onChange={onChange} />
          <div className="row">
            <label htmlFor={contractInputId}>Add a column contract (JSON Schema or Table Schema file)</label>
            <input
              id={contractInputId}
              type="file"
              accept=".json,application/json"
              disabled={running}
              onChange={(event) => {
                const input = event.currentTarget;
                const file = input.files?.[0];
                input.value = '';
                if (file) void onContractFile(file);
              }}
            />
          </div>
          <LinksEditor extracts={extracts} links={links} onChange={setLinks} disabled={running} />
          <div className="row">
            <button
              ref={validateRef}
              type="button"
              className="primary"
              disabled={!ready || running || pending > 0 || packagesPending}
              onClick={() => validate()}
            >
              Validate {extracts.length === 1 ? 'the file' : `the ${extracts.length} files`}
            </button>
            {packagesPending && (
              <p className="hint" role="status">
                Reading the project’s implementation guide packages, which the mapped records are checked
                against…
              </p>
            )}
            {running && (
              <button ref={cancelRef} type="button" onClick={cancel}>
                Cancel
              </button>
            )}
          </div>
          {askHeader && extracts.some((e) => headerUndecided(e, contracts)) && (
            <p className="error" role="alert">
              Nothing was checked yet. Decide first for{' '}
              {extracts
                .filter((e) => headerUndecided(e, contracts))
                .map((e) => e.name)
                .join(', ')}
              : check the rows anyway, or pick another contract.
            </p>
          )}
        </>
      )}

      {job?.status === 'running' && <RunProgress />}
      {job?.status === 'cancelled' && (
        <p className="job-outcome" role="status">
          Validation of {job.subject}: {job.message}
          {progress ? ` It stopped at ${percentOf(progress)} % (${formatCount(progress.rows)} rows).` : ''}
        </p>
      )}
      {job?.status === 'failed' && (
        <p className="error job-outcome" role="alert">
          Validation of {job.subject}: {job.message}
        </p>
      )}
      {run && !run.outcome.ok && (
        <div className="error job-outcome" role="alert">
          <p>{run.outcome.problem.message}</p>
          {run.outcome.problem.schemaPaths && (
            <ul>
              {run.outcome.problem.schemaPaths.map((p) => (
                <li key={p}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          )}
          <p>What to do: {run.outcome.problem.advice}</p>
        </div>
      )}
      {run?.outcome.ok && report && (
        <div ref={outcomeRef}>
          <ValidationReport
            key={report.generatedAt}
            report={report}
            failing={run.outcome.failing}
            request={run.request}
            onSave={onSaveReport}
            kept={kept}
          />
        </div>
      )}
      {(fhirFiles.length > 0 || fhirJob || hasPackages || droppedPackages.length > 0) && (
        <Suspense fallback={<p>Loading the FHIR checks…</p>}>
          <FhirValidation
            files={fhirFiles}
            onRemove={(file) => setFhirFiles((list) => list.filter((f) => f !== file))}
            projectId={projectId}
            settings={project.meta.settings}
            dispatch={onChange}
            droppedPackages={droppedPackages}
            onPackagesTaken={packagesTaken}
            onSaveReport={onSaveReport}
            ReportView={ValidationReport}
          />
        </Suspense>
      )}
    </section>
  );
}

/** The id of a file's header message (focused when Validate waits for a decision on it). */
function headerCheckId(base: string, name: string): string {
  return `${base}-header-${encodeURIComponent(name)}`;
}

function detectedOff(given: Partial<CsvLayout>): Partial<ChosenExtract['detected']> {
  const off: Partial<ChosenExtract['detected']> = {};
  if (given.encoding !== undefined) off.encoding = false;
  if (given.delimiter !== undefined) off.delimiter = false;
  if (given.lineEnding !== undefined) off.lineEnding = false;
  return off;
}

function Detected({ on }: { on: boolean }) {
  return <span className="hint">{on ? ' (detected)' : ' (set by you)'}</span>;
}

/**
 * The saved mapping an extract's records are checked with, as the worker takes it (none: `{}`):
 * with its target schema when it maps to one (a schema the project lacks is sent as none, and the
 * worker says to upload it), or with the project's FHIR checks and implementation guide packages
 * when it maps to FHIR, as the project's FHIR files are checked.
 */
function mappedSpec(
  project: Project,
  mappingId: string | undefined,
  packages: ReturnType<typeof mappedPackages>['spec'],
): Pick<ValidateInputSpec, 'mapping'> {
  const spec = savedMappingSpec(project, mappingId);
  if (!spec) return {};
  return { mapping: spec.mapping.target.type === 'fhir' ? { ...spec, ...packages } : spec };
}

/**
 * Whether a column name the layout sniff read is one the reader accepts. A longer one (a file built
 * to exhaust memory, or not a CSV file) is never offered as a key or a reference, nor shown: the
 * sniff holds only a cut copy of it, and checking the file stops at its header.
 */
const acceptedName = (name: string): boolean => name.length <= DEFAULT_MAX_NAME_CHARS;

/** The 1-based numbers of the columns whose names are over the bound (see {@link acceptedName}). */
function overlongColumns(header: readonly string[]): number[] {
  return header.flatMap((name, index) => (acceptedName(name) ? [] : [index + 1]));
}

/** A column as the card lists it: its name, or its number when the name is over the bound. */
const shownColumn = (name: string, index: number): string =>
  acceptedName(name) ? name : `column ${index + 1} (name too long to show)`;

/**
 * The columns compared between records sharing the key (conflicting details): those guessed from
 * the header until the user chooses, at most {@link MAX_DEMOGRAPHICS}; kept with the check set.
 */
function DemographicsChoice({
  extract,
  disabled,
  onChange,
}: {
  extract: ChosenExtract;
  disabled: boolean;
  onChange: (columns: string[]) => void;
}) {
  const chosen = chosenDemographicsOf(extract.header, extract.key, extract.demographics);
  const columns = [...new Set(extract.header.filter((c) => c !== extract.key && acceptedName(c)))];
  const full = chosen.length >= MAX_DEMOGRAPHICS;
  return (
    <details className="extract-demographics">
      <summary>
        Compared for a repeated key: {chosen.length > 0 ? chosen.join(', ') : 'nothing'}
        {extract.demographics === undefined ? ' (found by name)' : ' (chosen)'}
      </summary>
      <fieldset disabled={disabled}>
        <legend>Columns compared between records with the same {extract.key}</legend>
        <p className="hint">
          Records that share a key but differ in one of these are listed as conflicting details. At most{' '}
          {MAX_DEMOGRAPHICS}; kept with the project for the next drop of this file.
        </p>
        {columns.map((c) => (
          <label key={c} className="extract-demographic">
            <input
              type="checkbox"
              checked={chosen.includes(c)}
              disabled={!chosen.includes(c) && full}
              onChange={(e) =>
                onChange(
                  e.currentTarget.checked
                    ? extract.header.filter((h) => h === c || chosen.includes(h))
                    : chosen.filter((h) => h !== c),
                )
              }
            />{' '}
            {c}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

function ExtractCard({
  extract,
  contracts,
  mappings,
  mappedFhirChecks,
  disabled,
  headerId,
  onLayout,
  onField,
  onAcceptHeader,
  onRemove,
  checkSets,
  onCheckSet,
  onDemographics,
  onDecimalMark,
  tellsConflicts,
}: {
  extract: ChosenExtract;
  /** whether this card tells a colleague's change to its check set or contract: the first card using it does */
  tellsConflicts: { checkSet: boolean; contract: boolean };
  contracts: readonly SchemaDoc[];
  /** saved mappings (to an R4 resource type or a target schema), whose records the validator can check */
  mappings: readonly Mapping[];
  /** the project's FHIR checks in words, which records mapped to FHIR are checked with */
  mappedFhirChecks: string;
  disabled: boolean;
  /** id of the header message, focused when Validate waits for a decision on it */
  headerId: string;
  onLayout: (given: Partial<CsvLayout>) => void;
  onField: (field: 'contract' | 'key' | 'mapping', value: string) => void;
  /** check the rows although the header does not fit the contract (false: undo that) */
  onAcceptHeader: (accepted: boolean) => void;
  onRemove: () => void;
  /** the project's saved check sets, offered by choice for a file with no readable header */
  checkSets: readonly Dataset[];
  onCheckSet: (id: string) => void;
  /** the columns compared between records sharing the key, as chosen */
  onDemographics: (columns: string[]) => void;
  /** the decimal mark of the file's numbers, as chosen (undefined: detected from the file) */
  onDecimalMark: (mark: DecimalMark | undefined) => void;
}) {
  const id = useId();
  const unreadable = !headerReadable(extract.header);
  const { layout, detected } = extract;
  const comparison = headerCheck(extract, contracts);
  const overlong = overlongColumns(extract.header);
  const chosenMapping = mappings.find((m) => m.id === extract.mapping);
  const fhirTarget = chosenMapping?.target.type === 'fhir' ? chosenMapping.target.resourceType : undefined;
  const delimiters = DELIMITERS.some((d) => d.value === layout.delimiter)
    ? DELIMITERS
    : [...DELIMITERS, { value: layout.delimiter, label: delimiterName(layout.delimiter) }];
  return (
    <fieldset className="extract">
      <legend>
        {extract.name} <span className="hint">({formatBytes(extract.file.size)})</span>
      </legend>
      <p className="hint">
        {extract.header.length > 0
          ? `${extract.header.length} columns: ${extract.header.slice(0, 8).map(shownColumn).join(', ')}${extract.header.length > 8 ? ', …' : ''}`
          : 'No column names read.'}
      </p>
      {extract.checkSet && (
        <p className="hint">
          {extract.checkSet.chosen
            ? `Settings from the saved check set “${extract.checkSet.name}” (chosen by you).`
            : extract.checkSet.exact
              ? `Settings from the saved check set “${extract.checkSet.name}” (same columns).`
              : `Settings from the saved check set “${extract.checkSet.name}” (the closest columns).`}
        </p>
      )}
      {/* a colleague's change made first to this file's check set or contract is told here */}
      {extract.checkSet && tellsConflicts.checkSet && (
        <ConflictBeside
          kind="check-set"
          id={extract.checkSet.id}
          what={`check set “${extract.checkSet.name}”`}
        />
      )}
      {extract.contract && tellsConflicts.contract && (
        <ConflictBeside
          kind="contract"
          id={extract.contract}
          what={`column contract “${contracts.find((c) => c.id === extract.contract)?.name ?? extract.contract}”`}
        />
      )}
      {unreadable && !extract.checkSet?.chosen && (
        <p className="hint">{noHeaderLine(extract, checkSets.length > 0)}</p>
      )}
      <div className="field-grid">
        {unreadable && checkSets.length > 0 && (
          <>
            <label htmlFor={`${id}-set`}>Saved check set</label>
            <select
              id={`${id}-set`}
              value={extract.checkSet?.id ?? ''}
              disabled={disabled}
              onChange={(e) => onCheckSet(e.currentTarget.value)}
            >
              <option value="">None</option>
              {checkSets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor={`${id}-enc`}>
          Read as
          <Detected on={detected.encoding} />
        </label>
        <select
          id={`${id}-enc`}
          value={layout.encoding}
          disabled={disabled}
          onChange={(e) => onLayout({ encoding: e.currentTarget.value as CsvLayout['encoding'] })}
        >
          {TEXT_ENCODINGS.map((enc) => (
            <option key={enc} value={enc}>
              {ENCODING_TITLES[enc]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-delim`}>
          Delimiter
          <Detected on={detected.delimiter} />
        </label>
        <select
          id={`${id}-delim`}
          value={layout.delimiter}
          disabled={disabled}
          onChange={(e) => onLayout({ delimiter: e.currentTarget.value })}
        >
          {delimiters.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-quote`}>Quote</label>
        <select
          id={`${id}-quote`}
          value={layout.quote}
          disabled={disabled}
          onChange={(e) => onLayout({ quote: e.currentTarget.value })}
        >
          <option value={'"'}>double quote "</option>
          <option value="'">single quote '</option>
        </select>
        <label htmlFor={`${id}-eol`}>
          Line endings
          <Detected on={detected.lineEnding} />
        </label>
        <select
          id={`${id}-eol`}
          value={layout.lineEnding}
          disabled={disabled}
          onChange={(e) => onLayout({ lineEnding: e.currentTarget.value as CsvLayout['lineEnding'] })}
        >
          {(Object.keys(LINE_ENDING_NAMES) as CsvLayout['lineEnding'][]).map((le) => (
            <option key={le} value={le}>
              {LINE_ENDING_NAMES[le]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-decimal`}>Decimal mark</label>
        <select
          id={`${id}-decimal`}
          value={extract.decimalMark ?? ''}
          disabled={disabled}
          onChange={(e) => {
            const value = e.currentTarget.value;
            onDecimalMark(value === '.' || value === ',' ? value : undefined);
          }}
        >
          <option value="">detected from the file (said in the report)</option>
          <option value=".">point: 36.4</option>
          <option value=",">comma: 36,4</option>
        </select>
        <label htmlFor={`${id}-header`}>First row holds column names</label>
        <input
          id={`${id}-header`}
          type="checkbox"
          checked={layout.header}
          disabled={disabled}
          onChange={(e) => onLayout({ header: e.currentTarget.checked })}
        />
        <label htmlFor={`${id}-contract`}>Column contract</label>
        <select
          id={`${id}-contract`}
          value={extract.contract}
          disabled={disabled}
          onChange={(e) => onField('contract', e.currentTarget.value)}
        >
          <option value="">None: check the file's structure only</option>
          {contracts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-key`}>Key column (must be unique)</label>
        <select
          id={`${id}-key`}
          value={extract.key}
          disabled={disabled}
          aria-describedby={overlong.length > 0 ? `${id}-key-why` : undefined}
          onChange={(e) => onField('key', e.currentTarget.value)}
        >
          <option value="">None</option>
          {[...new Set(extract.header.filter(acceptedName))].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        {overlong.length > 0 && (
          <p className="hint extract-key-why" id={`${id}-key-why`}>
            {overlong.length === 1 ? `Column ${overlong[0]} is` : `Columns ${overlong.join(', ')} are`} not
            offered as the key: {overlong.length === 1 ? 'its name is' : 'their names are'} longer than{' '}
            {formatCount(DEFAULT_MAX_NAME_CHARS)} characters, which no real column name is. Checking this file
            will stop at its first line: export it again with its column names in the first line.
          </p>
        )}
        {extract.key !== '' && (
          <DemographicsChoice extract={extract} disabled={disabled} onChange={onDemographics} />
        )}
        {mappings.length > 0 && (
          <>
            <label htmlFor={`${id}-mapping`}>Also check the records made by the mapping</label>
            <select
              id={`${id}-mapping`}
              value={extract.mapping ?? ''}
              disabled={disabled}
              onChange={(e) => onField('mapping', e.currentTarget.value)}
            >
              <option value="">No mapping</option>
              {mappings.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
            {fhirTarget && (
              <p className="hint extract-mapping-checks">
                Its records are checked as FHIR {fhirTarget} resources with the project’s FHIR checks (chosen
                under “FHIR files”, shown once a FHIR file is added): {mappedFhirChecks}
              </p>
            )}
          </>
        )}
      </div>
      {comparison && (
        <HeaderCheck
          id={headerId}
          comparison={comparison}
          contractName={contracts.find((c) => c.id === extract.contract)?.name ?? ''}
          fileName={extract.name}
          accepted={extract.headerAccepted === extract.contract}
          disabled={disabled}
          onAccept={onAcceptHeader}
          onPickAnother={() => document.getElementById(`${id}-contract`)?.focus()}
        />
      )}
      <button type="button" onClick={onRemove} disabled={disabled}>
        Remove {extract.name}
      </button>
    </fieldset>
  );
}

/**
 * The check sets kept in the project, each with what it sets; one a user chose a file for can be
 * forgotten (the demo's bundled ones stay).
 */
function SavedCheckSets({
  project,
  onChange,
}: {
  project: Project;
  onChange?: ((change: ProjectChange) => void) | undefined;
}) {
  const sets = checkSetsOf(project);
  if (sets.length === 0) return null;
  const nameOf = (id: string) => project.datasets.find((d) => d.id === id)?.name ?? 'a file no longer kept';
  return (
    <details className="check-sets">
      <summary>Check sets kept in this project ({sets.length})</summary>
      <p className="hint">
        Validate keeps each file's settings here. A file you choose later with the same columns, whatever its
        name, is set up from them.
      </p>
      <ul>
        {sets.map((d) => {
          const contract = project.schemas.find((s) => s.id === d.contract)?.name;
          const mapping = project.mappings.find((m) => m.id === d.mapping)?.name;
          const parts = [
            `${d.columns?.length ?? 0} columns`,
            contract ? `contract “${contract}”` : 'no contract',
            d.key ? `key ${d.key}` : 'no key',
            ...(mapping ? [`records also checked with the mapping “${mapping}”`] : []),
            ...(d.references ?? []).map(
              (r) => `${r.column} must exist in ${nameOf(r.target)} · ${r.targetColumn}`,
            ),
          ];
          return (
            <li key={d.id}>
              <strong>{d.name}</strong>: {parts.join('; ')}
              {d.origin.type === 'sample' ? (
                <span className="hint"> (bundled with the demo)</span>
              ) : (
                onChange && (
                  <>
                    {' '}
                    <button type="button" onClick={() => onChange({ type: 'dataset/remove', id: d.id })}>
                      Forget {d.name}
                    </button>
                  </>
                )
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

/**
 * The one message for a header that does not fit the file's contract, shown before any row is
 * checked: each difference once, and the choice to check the rows anyway or pick another contract.
 */
function HeaderCheck({
  id,
  comparison,
  contractName,
  fileName,
  accepted,
  disabled,
  onAccept,
  onPickAnother,
}: {
  id: string;
  comparison: HeaderComparison;
  contractName: string;
  fileName: string;
  accepted: boolean;
  disabled: boolean;
  onAccept: (accepted: boolean) => void;
  onPickAnother: () => void;
}) {
  const errors = comparison.problems.filter((p) => p.severity === 'error').length;
  const titleId = `${id}-title`;
  return (
    <section
      id={id}
      tabIndex={-1}
      aria-labelledby={titleId}
      className={`header-check${comparison.fits ? '' : ' header-check-mismatch'}`}
    >
      <h4 id={titleId}>
        {comparison.fits
          ? `The columns of ${fileName} differ from “${contractName}”, but every row can be checked`
          : `The columns of ${fileName} do not match “${contractName}” (${errors} ${errors === 1 ? 'problem' : 'problems'})`}
      </h4>
      <ul>
        {comparison.problems.map((p) => (
          <li key={`${p.rule}:${p.position ?? ''}:${p.field ?? ''}`}>
            {describeHeaderProblem(p)} <span className="hint">({p.rule})</span>
          </li>
        ))}
      </ul>
      {!comparison.fits &&
        (accepted ? (
          <p>
            The rows will be checked against this contract anyway: expect the same problem on many rows.{' '}
            <button type="button" disabled={disabled} onClick={() => onAccept(false)}>
              Do not check anyway
            </button>
          </p>
        ) : (
          <>
            <p>
              Checking every row against this contract would repeat these problems on each row. No row has
              been checked yet.
            </p>
            <div className="row">
              <button type="button" disabled={disabled} onClick={() => onAccept(true)}>
                Check the rows anyway
              </button>
              <button type="button" disabled={disabled} onClick={onPickAnother}>
                Pick another contract
              </button>
            </div>
          </>
        ))}
    </section>
  );
}

function LinksEditor({
  extracts,
  links,
  onChange,
  disabled,
}: {
  extracts: readonly ChosenExtract[];
  links: readonly ReferenceLink[];
  onChange: (links: ReferenceLink[]) => void;
  disabled: boolean;
}) {
  const id = useId();
  const options = extracts.flatMap((e) =>
    [...new Set(e.header.filter(acceptedName))].map((c) => `${e.name}\u0000${c}`),
  );
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const label = (value: string) => value.replace('\u0000', ' · ');
  if (extracts.length < 2) return null;
  const add = () => {
    const [input, column] = from.split('\u0000') as [string, string];
    const [target, targetColumn] = to.split('\u0000') as [string, string];
    if (!input || !target || (input === target && column === targetColumn)) return;
    onChange([...links, { input, column, target, targetColumn }]);
  };
  return (
    <fieldset className="links">
      <legend>Links between files</legend>
      <p className="hint">
        Each value in the first column must exist in the second (for example every encounter's patient is in
        the patient file). Missing ones are reported as references to missing records.
      </p>
      {links.length === 0 ? (
        <p>No links.</p>
      ) : (
        <ul>
          {links.map((l) => (
            <li key={`${l.input}.${l.column}>${l.target}.${l.targetColumn}`}>
              {l.input} · {l.column} must exist in {l.target} · {l.targetColumn}{' '}
              <button
                type="button"
                disabled={disabled}
                onClick={() => onChange(links.filter((x) => x !== l))}
              >
                Remove link
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <label htmlFor={`${id}-from`}>Column</label>
        <select
          id={`${id}-from`}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          disabled={disabled}
        >
          <option value="">Choose…</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {label(o)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-to`}>must exist in</label>
        <select id={`${id}-to`} value={to} onChange={(e) => setTo(e.currentTarget.value)} disabled={disabled}>
          <option value="">Choose…</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {label(o)}
            </option>
          ))}
        </select>
        <button type="button" onClick={add} disabled={disabled || !from || !to}>
          Add link
        </button>
      </div>
    </fieldset>
  );
}
