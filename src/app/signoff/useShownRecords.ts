/**
 * The records of a review as the screen shows them: read from the user's file on demand (its
 * fingerprint checked against the drawn sample's first; the cells kept only in this screen's
 * memory), or, on a clinician's computer, taken from the review packet exactly as the data lead
 * saw them. Gives the record in view's {@link RecordView} and, for a review packet, every drawn
 * record's {@link ShownRecord}.
 */
import { useCallback, useMemo, useState } from 'react';
import { hashFileInWorker } from '../../../workers/hashClient.ts';
import { readRowsInWorker } from '../../../workers/sampleClient.ts';
import { toJobError } from '../../core/jobs/errors.ts';
import {
  type RecordView,
  recordId,
  type ShownRecord,
  viewOfShown,
  viewRecord,
} from '../../core/signoff/review/index.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { Review } from '../../formats/review.ts';
import type { ReviewPacket } from '../../formats/reviewPacket.ts';
import { rememberedSampleFiles, rememberSampleFiles } from './sampleFiles.ts';
import type { SampledRecord } from './useReviewNavigation.ts';

interface LoadedRows {
  header: string[];
  rows: Map<string, string[]>;
}

/** What reads a data file: its fingerprint, and the cells of the sampled rows. */
interface DataFileReader {
  hashFile: (file: File) => Promise<{ sha256: string }>;
  readRows: typeof readRowsInWorker;
}

/** The hash and sample workers, which read the data file off the page. */
const IN_WORKERS: DataFileReader = { hashFile: hashFileInWorker, readRows: readRowsInWorker };

export function useShownRecords({
  review,
  records,
  entry,
  mapping,
  packet,
  reader = IN_WORKERS,
}: {
  review: Review;
  records: readonly SampledRecord[];
  entry: SampledRecord | undefined;
  mapping: Mapping | undefined;
  packet: ReviewPacket | undefined;
  /** what reads the data file: the workers (a component test, where jsdom has none, gives their answers) */
  reader?: DataFileReader;
}) {
  const [loaded, setLoaded] = useState<LoadedRows | null>(null);
  const [fileStatus, setFileStatus] = useState<string | null>(null);
  /** the files the records are read from, and whether they were chosen earlier in this page session */
  const [source, setSource] = useState<{ files: string[]; remembered: boolean } | null>(null);
  // the clinician's side: the records come from the packet, shown exactly as the data lead saw them
  const packetViews = useMemo(
    () =>
      packet
        ? new Map(
            packet.records.map((r) => [recordId(r.stratum, r.key), viewOfShown(r.shown as ShownRecord)]),
          )
        : null,
    [packet],
  );
  const ready = loaded !== null || packetViews !== null;
  const view: RecordView | null = useMemo(() => {
    if (entry && packetViews) return packetViews.get(recordId(entry.stratum, entry.record.key)) ?? null;
    if (!entry || !loaded) return null;
    const cells = loaded.rows.get(`${entry.record.file ?? ''}\u001f${entry.record.row}`);
    if (!cells) return null;
    return viewRecord({
      planHash: review.plan.hash,
      stratum: entry.stratum,
      record: entry.record,
      header: loaded.header,
      cells,
      mapping,
    });
  }, [entry, loaded, mapping, review.plan.hash, packetViews]);
  /** What the screen shows for every drawn record of `rows`. */
  const shownOf = useCallback(
    (rows: LoadedRows): ShownRecord[] =>
      records.flatMap(({ stratum, record }) => {
        const cells = rows.rows.get(`${record.file ?? ''}\u001f${record.row}`);
        if (!cells) return [];
        return [
          viewRecord({ planHash: review.plan.hash, stratum, record, header: rows.header, cells, mapping })
            .shown,
        ];
      }),
    [records, review.plan.hash, mapping],
  );
  /** What the screen shows for every drawn record (for a review packet); null without the file. */
  const allShown = useCallback(
    (): ShownRecord[] | null => (loaded ? shownOf(loaded) : null),
    [loaded, shownOf],
  );

  const openFiles = async (files: File[], remembered = false): Promise<LoadedRows | undefined> => {
    setFileStatus('Checking the file and reading the sampled records…');
    try {
      const rows = new Map<string, string[]>();
      let header: string[] = [];
      for (const file of files) {
        const input = review.sample.inputs.find((i) => i.file === file.name);
        if (!input) {
          setFileStatus(
            `${file.name} is not a file this sample was drawn from (${review.sample.inputs.map((i) => i.file).join(', ')}).`,
          );
          return;
        }
        const digest = await reader.hashFile(file);
        if (digest.sha256 !== input.sha256) {
          setFileStatus(
            `${file.name} is not the file the sample was drawn from: its SHA-256 fingerprint differs. Choose the same file.`,
          );
          return;
        }
        const wanted = records
          .filter((r) => (r.record.file ?? file.name) === file.name)
          .map((r) => r.record.row);
        const read = await reader.readRows(file, wanted);
        header = read.header;
        for (const [row, cells] of read.rows) rows.set(`${file.name}\u001f${row}`, cells);
      }
      const read = { header, rows };
      setLoaded(read);
      setFileStatus(null);
      setSource({ files: files.map((f) => f.name), remembered });
      rememberSampleFiles(review.sample.inputs, files);
      return read;
    } catch (error) {
      setFileStatus(toJobError(error).message);
      return undefined;
    }
  };

  // the files chosen for this sample earlier in this page session (drawn from, or opened here
  // before), by name: what sending reads when no file is open here
  const remembered = packet ? undefined : rememberedSampleFiles(review.sample.inputs);
  /**
   * Every drawn record as shown, with the files read, for sending: from the file open here, else
   * from the files chosen earlier in this page session (opened now, fingerprints checked as a
   * chosen file's are); null when there is neither (the reason is in `fileStatus`).
   */
  const shownToSend = async (): Promise<{ shown: ShownRecord[]; files: string[] } | null> => {
    if (loaded && source) return { shown: shownOf(loaded), files: source.files };
    if (!remembered) return null;
    const read = await openFiles(remembered, true);
    return read ? { shown: shownOf(read), files: remembered.map((f) => f.name) } : null;
  };

  return {
    ready,
    fromFile: loaded !== null,
    view,
    allShown,
    openFiles: (files: File[]) => openFiles(files),
    fileStatus,
    source,
    shownToSend,
    /** the names of the files a send would read (open here, else chosen earlier in this page session) */
    sendsFrom: source?.files ?? remembered?.map((f) => f.name),
  };
}
