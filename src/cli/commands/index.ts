import type { LazyCommand } from '../command.ts';

/**
 * Every subcommand, in the order `--help` lists them. Later issues append here. Each module is
 * imported only when its command runs: the names and summaries here are what `preflight --help`
 * prints, and index.test.ts checks them against the modules' own declarations.
 */
export const commands: LazyCommand[] = [
  {
    name: 'check',
    summary:
      'validate Preflight files (workflow, mapping, report, sample plan, project) and column contracts',
    load: async () => (await import('./check.ts')).checkCommand,
  },
  {
    name: 'hash',
    summary: 'SHA-256 of a file of any size (the same hash the app shows)',
    load: async () => (await import('./hash.ts')).hashCommand,
  },
  {
    name: 'sample-size',
    summary: 'how many records clinicians must review for a target error rate, and why',
    load: async () => (await import('./sampleSize.ts')).sampleSizeCommand,
  },
  {
    name: 'sample',
    summary: "draw a sample plan's reproducible hash-rank sample from CSV files (prints record keys)",
    load: async () => (await import('./sample.ts')).sampleCommand,
  },
  {
    name: 'signoff verify',
    summary:
      'verify a sign-off audit log (chain, decisions, signatures), a review packet, review results or a signed FHIR Bundle',
    load: async () => (await import('./signoffVerify.ts')).signoffVerifyCommand,
  },
  {
    name: 'workflow analyze',
    summary:
      'findings, metrics and go-live check of a workflow; with a baseline, the comparison and role checklist',
    load: async () => (await import('./workflowAnalyze.ts')).workflowAnalyzeCommand,
  },
  {
    name: 'workflow import-bpmn',
    summary: 'read a BPMN 2.0 file (bpmn.io, Camunda, Signavio, …) as a Preflight workflow',
    load: async () => (await import('./workflowImportBpmn.ts')).workflowImportBpmnCommand,
  },
  {
    name: 'workflow export-bpmn',
    summary: 'write a Preflight workflow as BPMN 2.0 XML for bpmn.io, Camunda Modeler, Signavio',
    load: async () => (await import('./workflowExportBpmn.ts')).workflowExportBpmnCommand,
  },
  {
    name: 'workflow discover',
    summary: 'discover the current workflow (steps, flows, measured times) from an event log',
    load: async () => (await import('./workflowDiscover.ts')).workflowDiscoverCommand,
  },
  {
    name: 'workflow waits',
    summary: 'why cases wait: each activity’s waiting time split by cause, from an event log',
    load: async () => (await import('./workflowWaits.ts')).workflowWaitsCommand,
  },
  {
    name: 'workflow conform',
    summary: 'check a log from the new system against the designed (future) workflow: drift after go-live',
    load: async () => (await import('./workflowConform.ts')).workflowConformCommand,
  },
  {
    name: 'validate',
    summary:
      'validate CSV extracts against column contracts, with cross-file checks (writes preflight.report/v1)',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'contract sql',
    summary: "print a column contract's checks as SQL for DuckDB, PostgreSQL, Snowflake, Spark or Trino",
    load: async () => (await import('./contractSql.ts')).contractSqlCommand,
  },
  {
    name: 'fhir validate',
    summary: 'validate FHIR R4 resources, Bundles and NDJSON exports',
    load: async () => (await import('./fhirValidate.ts')).fhirValidateCommand,
  },
  {
    name: 'fhir validate-code',
    summary: 'check a code (and its display) in a code system or value set, offline',
    load: async () => (await import('./fhirValidateCode.ts')).fhirValidateCodeCommand,
  },
  {
    name: 'fhir tx-suite',
    summary:
      "run HL7's terminology test suite (validate-code and lookup cases) offline: the score and each case missed",
    load: async () => (await import('./fhirTxSuite.ts')).fhirTxSuiteCommand,
  },
  {
    name: 'fhir invariants',
    summary: 'which FHIR invariants the validation runs (base R4 and IG packages), and why not the others',
    load: async () => (await import('./fhirInvariants.ts')).fhirInvariantsCommand,
  },
  {
    name: 'fhir pull',
    summary: 'download every resource of one type from a FHIR server as NDJSON',
    load: async () => (await import('./fhirPull.ts')).fhirPullCommand,
  },
  {
    name: 'fhir reconcile',
    summary: 'compare a legacy patients file with the patients on a FHIR server',
    load: async () => (await import('./fhirReconcile.ts')).fhirReconcileCommand,
  },
  {
    name: 'fhir write',
    summary: 'send a transaction Bundle (e.g. the sign-off bundle) to a FHIR server, safe to retry',
    load: async () => (await import('./fhirWrite.ts')).fhirWriteCommand,
  },
  {
    name: 'readiness',
    summary: "a project file's go/no-go from its own evidence and gates (exit 1 on no-go)",
    load: async () => (await import('./readiness.ts')).readinessCommand,
  },
  {
    name: 'readiness verify-pack',
    summary: 'check an evidence pack (JSON) is as made, its decision signed over it (exit 1 if not)',
    load: async () => (await import('./readinessVerifyPack.ts')).readinessVerifyPackCommand,
  },
  {
    name: 'serve',
    summary: 'run the team server: the app and its API for a go-live team, on your own network',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'serve migrate',
    summary: "bring a team server's database schema up to date (as the tables' owner), then grant its role",
    load: async () => (await import('./serveMigrate.ts')).serveMigrateCommand,
  },
  {
    name: 'serve backup',
    summary: "copy a team server's records to one file while it runs (restore with serve restore)",
    load: async () => (await import('./serveBackup.ts')).serveBackupCommand,
  },
  {
    name: 'serve restore',
    summary: 'restore a serve backup of the embedded database into a folder a server can start on',
    load: async () => (await import('./serveRestore.ts')).serveRestoreCommand,
  },
  {
    name: 'serve relink',
    summary: "move the team server's people to a new identity provider address, keeping their history",
    load: async () => (await import('./serveRelink.ts')).serveRelinkCommand,
  },
  {
    name: 'serve rotate-log-key',
    summary: "rotate the team server's audit log signing key: the old key signs over to the new, in the log",
    load: async () => (await import('./serveRotateLogKey.ts')).serveRotateLogKeyCommand,
  },
];
